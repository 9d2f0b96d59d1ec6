package parley.peer.e2e;

import org.junit.jupiter.api.Test;
import parley.peer.core.PeerConfig;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14's fan-out paths and membership commands at the peer, end to end: a group copy goes
 * over a relayed session (7.8) exactly as over a direct one (delivered by the channel's ACK, no
 * mailbox), and a member who leaves with {@code /group leave} is sent nothing after it.
 */
class GroupPathsTest extends PeerFixture {
    @Test
    void aGroupCopyGoesOverARelayedSession() throws Exception {
        TestPeer amy = peer("amy").signUp();
        PeerConfig c = config("bob");
        c.noDirect = true;
        TestPeer bob = peer(c).signUp();
        DeliveryTest.befriend(amy, bob);
        amy.cmd("/msg bob hi");
        amy.await("delivered", "to", "bob");
        amy.await(e -> e.type().equals("path") && "bob".equals(e.get("user")) && "relayed".equals(e.get("kind")));
        GroupChatTest.group(amy, bob);
        amy.mark();
        amy.cmd("/path bob");
        Seen path = amy.await("path", "user", "bob");
        assertThat(path.get("kind")).isEqualTo("relayed");
        long relayed = registry.relayStats().packets();
        amy.cmd("/msg #ops over-the-relay");
        Seen sent = amy.await("sending", "text", "over-the-relay");
        bob.await("message", "text", "over-the-relay");
        amy.await(e -> e.type().equals("delivered") && "bob".equals(e.get("to")) && sent.get("id").equals(e.get("id"))
                && "ops".equals(e.get("group")));
        assertThat(amy.seen("queued")).as("the copy went over the session, not the mailbox").isEmpty();
        assertThat(registry.relayStats().packets()).isGreaterThan(relayed);
    }

    @Test
    void aMemberWhoLeavesIsSentNothingAfterwards() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        TestPeer carol = peer("carol").signUp();
        GroupChatTest.friends(amy, bob, carol);
        GroupChatTest.group(amy, bob, carol);
        bob.cmd("/group leave #ops");
        bob.await("group", "change", "left");
        amy.await(e -> e.type().equals("group") && "member_left".equals(e.get("change")) && "bob".equals(e.get("user")));
        carol.await(e -> e.type().equals("group") && "member_left".equals(e.get("change")) && "bob".equals(e.get("user")));
        bob.mark();
        amy.cmd("/msg #ops after-leave");
        assertThat(amy.await("sending", "text", "after-leave").get("members")).isEqualTo(1L);
        carol.await("message", "text", "after-leave");
        carol.cmd("/msg #ops carol-too");
        amy.await("message", "text", "carol-too");
        bob.cmd("/msg #ops still-here");
        bob.await("error", "code", "NO_SUCH_GROUP");
        assertThat(bob.jsonLines()).noneMatch(l -> l.contains("after-leave") || l.contains("carol-too"));
    }
}
