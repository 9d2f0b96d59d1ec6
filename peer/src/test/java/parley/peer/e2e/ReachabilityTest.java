package parley.peer.e2e;

import org.junit.jupiter.api.Test;
import parley.peer.core.PeerConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 over real sockets on loopback, with a real registry and its relay: a contact's session
 * starts on the relay at once and moves to the direct path when punching succeeds (on loopback it
 * does), with {@code path} events, and every message arrives once and in order both ways;
 * {@code --no-direct} stays on the relay; with the relay off, sessions are direct as before.
 */
class ReachabilityTest extends PeerFixture {
    static final int MESSAGES = 40;

    private static List<String> kinds(TestPeer p) {
        return p.seen("path").stream().map(s -> s.string("kind")).collect(Collectors.toList());
    }

    /** Sends MESSAGES numbered messages each way, interleaved, and checks each side got the other's once, in order. */
    private static void exchange(TestPeer a, TestPeer b, String tag) {
        List<String> fromA = new ArrayList<>();
        List<String> fromB = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            fromA.add(tag + "-a" + i);
            fromB.add(tag + "-b" + i);
            a.cmd("/msg " + b.name + " " + fromA.get(i));
            b.cmd("/msg " + a.name + " " + fromB.get(i));
        }
        b.await("message", "text", fromA.get(MESSAGES - 1));
        a.await("message", "text", fromB.get(MESSAGES - 1));
        assertThat(texts(b, a.name, tag)).containsExactlyElementsOf(fromA);
        assertThat(texts(a, b.name, tag)).containsExactlyElementsOf(fromB);
    }

    private static List<String> texts(TestPeer p, String from, String tag) {
        return p.seen("message").stream().filter(s -> from.equals(s.string("from")))
                .map(s -> s.string("text")).filter(t -> t.startsWith(tag + "-")).collect(Collectors.toList());
    }

    @Test
    void aContactsSessionStartsRelayedThenMovesToTheDirectPathWithEveryMessageOnceInOrder() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        DeliveryTest.befriend(amy, bob);

        amy.cmd("/msg bob first, on the relay");
        bob.await("message", "text", "first, on the relay"); // no prompt: bob is amy's contact
        amy.await("path", "kind", "direct");
        bob.await("path", "kind", "direct");
        // Relay first, then the move (and, on a host with several addresses, perhaps a validated
        // change of the peer's direct address); never back to the relay.
        assertThat(kinds(amy).get(0)).isEqualTo("relayed");
        assertThat(kinds(amy).subList(1, kinds(amy).size())).containsOnly("direct");
        assertThat(kinds(bob).get(0)).isEqualTo("relayed");
        assertThat(kinds(bob).subList(1, kinds(bob).size())).containsOnly("direct");
        Seen direct = amy.await("path", "kind", "direct");
        assertThat(direct.string("user")).isEqualTo("bob");
        assertThat(amy.await("punch_ended", "user", "bob").string("outcome")).isEqualTo("direct");
        assertThat(direct.string("remote")).endsWith(":" + bob.udpPort());
        assertThat(direct.string("local")).endsWith(":" + amy.udpPort());

        exchange(amy, bob, "direct");
        amy.mark();
        amy.cmd("/path bob");
        assertThat(amy.await("path").string("kind")).isEqualTo("direct");
        amy.cmd("/stats");
        assertThat(amy.await("stats").toString()).contains("\"path\":\"direct\"");
        assertThat(amy.seen("session_request")).isEmpty();
        assertThat(bob.seen("session_request")).isEmpty();
    }

    @Test
    void messagesCrossTheMoveFromTheRelayToTheDirectPathExactlyOnce() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        DeliveryTest.befriend(amy, bob);
        // Sent at once, while the session is on the relay and punching: the stream straddles the move.
        exchange(amy, bob, "straddle");
        amy.await("path", "kind", "direct");
        bob.await("path", "kind", "direct");
        exchange(amy, bob, "after");
    }

    @Test
    void noDirectStaysOnTheRelay() throws Exception {
        TestPeer amy = peer("amy").signUp();
        PeerConfig c = config("bob");
        c.noDirect = true;
        TestPeer bob = peer(c).signUp();
        DeliveryTest.befriend(amy, bob);
        exchange(amy, bob, "relay"); // full datagrams behind the 28-byte RELAY prefix: 1,228 bytes
        assertThat(registry.relayStats().packets()).isPositive();
        // bob never punches; amy's round (5 s) gets no answer from bob and ends with no direct path.
        bob.await(e -> e.type().equals("punch_ended") && "amy".equals(e.get("user")) && "not_attempted".equals(e.get("outcome")));
        Seen ended = amy.await("punch_ended", "user", "bob");
        assertThat(ended.get("outcome")).isIn("gave_up", "not_attempted");
        exchange(amy, bob, "later");
        amy.cmd("/path bob");
        bob.cmd("/path amy");
        amy.await(e -> e.type().equals("path") && "relayed".equals(e.get("kind")));
        assertThat(kinds(amy)).containsOnly("relayed");
        assertThat(kinds(bob)).containsOnly("relayed");
        // What amy sees of bob is the relay's address, never bob's socket.
        assertThat(amy.seen("path")).allSatisfy(s -> assertThat(s.string("remote")).endsWith(":" + registry.udpPort()));
    }

    @Test
    void withTheRelayOffSessionsAreDirectAsBefore() throws Exception {
        registry.close();
        registry = new TestRegistry(dir.resolve("registry-no-relay"), false);
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        DeliveryTest.befriend(amy, bob);
        exchange(amy, bob, "plain");
        assertThat(kinds(amy)).containsOnly("direct");
        assertThat(kinds(bob)).containsOnly("direct");
        assertThat(amy.seen("path")).allSatisfy(s -> assertThat(s.string("remote")).endsWith(":" + bob.udpPort()));
    }
}
