package parley.peer.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import parley.peer.core.PeerConfig;
import parley.peer.net.Faults;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14's main scenario, without loss and under loss (20% of every peer's UDP datagrams dropped,
 * and then some duplicated and reordered): five members, sessions open between some of them, one
 * member offline for part of the conversation. Everyone ends with the same ordered history, each message exactly once.
 * And a registry restart mid-conversation keeps the group, its members and the order.
 */
class GroupResilienceTest extends PeerFixture {
    /** Duplicates and reorders, as a fraction of datagrams, that come with any loss (none without). */
    private static final double NOISE_WITH_LOSS = 0.02;

    @ParameterizedTest(name = "loss {0}")
    @ValueSource(doubles = {0.0, 0.2})
    void fiveMembersOneOfThemAwayForAWhileEndWithTheSameHistory(double loss) throws Exception {
        String[] names = {"amy", "bob", "carol", "dave", "erin"};
        List<TestPeer> p = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            p.add(peer(withFaults(config(names[i]), 100 + i, loss)).signUp());
        }
        TestPeer amy = p.get(0);
        for (int i = 1; i < p.size(); i++) {
            DeliveryTest.befriend(amy, p.get(i));
        }
        // A few sessions, so copies travel both ways: over lossy sessions and through the mailbox.
        amy.cmd("/msg bob hi");
        amy.await("delivered", "to", "bob");
        amy.cmd("/msg carol hi");
        amy.await("delivered", "to", "carol");
        GroupChatTest.group(amy, p.get(1), p.get(2), p.get(3), p.get(4));
        TestPeer erin = p.get(4);
        erin.session.quit(10, TimeUnit.SECONDS);
        List<TestPeer> online = p.subList(0, 4);
        int each = 3;
        for (int k = 0; k < each; k++) {
            for (TestPeer s : online) {
                s.cmd("/msg #ops " + s.name + "-" + k);
            }
        }
        int total = online.size() * each;
        for (TestPeer s : online) {
            GroupChatTest.groupMessages(s, total - each);
        }
        // erin comes back: her copies wait in the mailbox (or arrive while she reads it).
        TestPeer erin2 = peer(withFaults(config("erin"), 104, loss)).logIn();
        GroupChatTest.groupMessages(erin2, total);
        List<String> order = GroupChatTest.history(amy);
        assertThat(order).hasSize(total);
        for (TestPeer s : List.of(p.get(1), p.get(2), p.get(3), erin2)) {
            assertThat(GroupChatTest.history(s)).as(s.name).containsExactlyElementsOf(order);
        }
    }

    @Test
    void aRegistryRestartMidConversationKeepsTheGroupAndTheOrder() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        TestPeer carol = peer("carol").signUp();
        GroupChatTest.friends(amy, bob, carol);
        GroupChatTest.group(amy, bob, carol);
        amy.cmd("/msg #ops before-restart");
        bob.await("message", "text", "before-restart");
        carol.await("message", "text", "before-restart");
        amy.mark();
        bob.mark();
        carol.mark();
        registry.stop();
        registry.restart();
        for (TestPeer p : List.of(amy, bob, carol)) {
            p.await(e -> e.type().equals("logged_in") && Boolean.TRUE.equals(e.get("relogin")));
        }
        bob.cmd("/msg #ops after-restart");
        amy.await("message", "text", "after-restart");
        carol.await("message", "text", "after-restart");
        carol.cmd("/msg #ops carol-too");
        amy.await("message", "text", "carol-too");
        bob.await("message", "text", "carol-too");
        List<String> order = GroupChatTest.history(amy);
        assertThat(order).containsExactly("amy: before-restart", "bob: after-restart", "carol: carol-too");
        assertThat(GroupChatTest.history(bob)).containsExactlyElementsOf(order);
        assertThat(GroupChatTest.history(carol)).containsExactlyElementsOf(order);
    }

    /** {@code c} with seeded faults on its UDP path; a loss of 0 means a clean path (no faults at all). */
    private static PeerConfig withFaults(PeerConfig c, long seed, double loss) {
        if (loss > 0) {
            c.faults = new Faults(seed, loss, NOISE_WITH_LOSS, NOISE_WITH_LOSS);
        }
        return c;
    }
}
