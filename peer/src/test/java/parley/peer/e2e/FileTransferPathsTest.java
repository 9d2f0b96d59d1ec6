package parley.peer.e2e;

import org.junit.jupiter.api.Test;
import parley.core.reliable.PeerPacket;
import parley.core.reliable.RelayPrefix;
import parley.peer.core.PeerConfig;
import parley.peer.net.Faults;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static parley.peer.e2e.FileTransferEndToEndTest.arrivesWhole;
import static parley.peer.e2e.FileTransferEndToEndTest.offer;
import static parley.peer.e2e.FileTransferEndToEndTest.randomFile;
import static parley.peer.e2e.FileTransferEndToEndTest.state;

/**
 * Issue 15 on both kinds of path, with a real registry and its relay on loopback: a file sent
 * over the relay alone ({@code --no-direct}), within the relay's quotas (256 KiB/s a session by
 * default, burst twice that; what passes them is dropped and the channel's congestion control
 * backs off), and a file whose transfer starts on the relay and moves with its session to the
 * direct path when punching succeeds, and one that starts on the direct path and falls back with
 * its session to the relay when the direct path stops carrying datagrams. Each arrives with the
 * whole file's SHA-256 checked.
 */
class FileTransferPathsTest extends PeerFixture {
    private static final int MIB = 1 << 20;

    @Test
    void aFileCrossesTheRelayAloneWithinItsQuotas() throws Exception {
        TestPeer amy = peer("amy").signUp();
        PeerConfig c = config("bob");
        c.noDirect = true;
        TestPeer bob = peer(c).signUp();
        DeliveryTest.befriend(amy, bob);
        Path file = randomFile(dir, "relayed.bin", MIB + 4321, 21);

        String id = offer(amy, bob, file);
        bob.cmd("/accept file " + id);
        arrivesWhole(bob, file);
        amy.await(e -> state(e, id, "done"));
        assertThat(amy.seen("path")).as("never a direct path").allSatisfy(s -> assertThat(s.string("kind")).isEqualTo("relayed"));
        assertThat(registry.relayStats().packets()).as("the relay carried it").isGreaterThan(MIB / 1_300);
    }

    @Test
    void aTransferStartedOnTheRelayGoesOnAcrossTheMoveToTheDirectPath() throws Exception {
        TestPeer amy = peer("amy").signUp();
        // bob's direct datagrams (PEER_DATA, PEER_CONTROL) are dropped until the file is moving
        // over the relay, so punching cannot succeed before; relayed ones (RELAY) always pass.
        AtomicBoolean holdDirect = new AtomicBoolean(true);
        // bob's datagrams through the relay (his acks of the file data, once it flows) are counted,
        // and a latch opens when they reach a target set below.
        AtomicLong relayedByBob = new AtomicLong();
        AtomicLong target = new AtomicLong(Long.MAX_VALUE);
        CountDownLatch flowing = new CountDownLatch(1);
        PeerConfig c = config("bob");
        c.faults = Faults.dropping((sequence, datagram) -> {
            if ((datagram.get(datagram.position() + 2) & 0xFF) == RelayPrefix.RELAY && relayedByBob.incrementAndGet() >= target.get()) {
                flowing.countDown();
            }
            return direct(holdDirect, datagram);
        });
        TestPeer bob = peer(c).signUp();
        DeliveryTest.befriend(amy, bob);
        // 8 MiB: at the relay's 256 KiB/s a session it would take half a minute there.
        Path file = randomFile(dir, "moved.bin", 8 * MIB + 99, 22);

        String id = offer(amy, bob, file);
        bob.cmd("/accept file " + id);
        amy.await(e -> state(e, id, "active"));
        long before = registry.relayStats().packets();
        target.set(relayedByBob.get() + 200); // 200 of bob's acks: at least as many data packets came before them
        assertThat(flowing.await(TestPeer.TIMEOUT_S, TimeUnit.SECONDS)).as("bob acks file data through the relay").isTrue();
        assertThat(registry.relayStats().packets()).as("file data on the relay").isGreaterThanOrEqualTo(before + 200);
        holdDirect.set(false); // punching, still in its round, now succeeds
        Seen moved = amy.await("path", "kind", "direct");
        assertThat(moved.string("user")).isEqualTo("bob");
        arrivesWhole(bob, file);
        amy.await(e -> state(e, id, "done"));
        List<String> lines = amy.jsonLines();
        int relayed = first(lines, "\"event\":\"path\"", "\"kind\":\"relayed\"");
        int active = first(lines, "\"event\":\"transfer\"", "\"state\":\"active\"");
        int direct = first(lines, "\"event\":\"path\"", "\"kind\":\"direct\"");
        int done = first(lines, "\"event\":\"transfer\"", "\"state\":\"done\"");
        assertThat(relayed).as("the session began on the relay").isNotNegative().isLessThan(active);
        assertThat(active).as("the file was moving before the path changed").isLessThan(direct);
        assertThat(direct).as("and finished after it").isLessThan(done);
        assertThat(registry.relayStats().packets()).as("part of it crossed the relay").isPositive();
    }

    /**
     * The direct path dies mid-transfer (both ways) and the session falls back to the relay; the
     * rest of the file crosses the relay. Found while writing this: the receiver, which sends only
     * acks, had never sent through the relay when its session went direct, so the relay had no
     * address for it and dropped what the sender relayed after the fall-back ("no peer address",
     * 21-686 datagrams) until the receiver's own 15 s keepalive; the transfer stalled 16-17 s. A
     * session now sends its relay keepalive as it goes direct (PROTOCOL.md 7.8 step 4), so the
     * relay knows both addresses and the receiver follows the sender to the relay (step 5c).
     */
    @Test
    void aTransferOnTheDirectPathGoesOnAcrossTheFallBackToTheRelay() throws Exception {
        DataBudget frozen = new DataBudget(2L * MIB); // amy's file data stops after 2 MiB until released
        AtomicBoolean cutDirect = new AtomicBoolean(false); // then the direct path stops carrying anything, both ways
        PeerConfig ac = config("amy");
        ac.faults = Faults.dropping((sequence, datagram) -> direct(cutDirect, datagram) || frozen.drop(sequence, datagram));
        TestPeer amy = peer(ac).signUp();
        PeerConfig c = config("bob");
        c.faults = Faults.dropping((sequence, datagram) -> direct(cutDirect, datagram));
        TestPeer bob = peer(c).signUp();
        DeliveryTest.befriend(amy, bob);
        amy.cmd("/msg bob hello");
        bob.await("message", "text", "hello");
        amy.await("path", "kind", "direct");
        Path file = randomFile(dir, "fell-back.bin", 2 * MIB + 7, 23);

        String id = offer(amy, bob, file);
        bob.cmd("/accept file " + id);
        amy.await(e -> state(e, id, "active") && e.number("bytes") >= MIB); // on the direct path, then frozen
        amy.mark();
        long unknownBefore = registry.relayStats().noPeerAddress();
        cutDirect.set(true); // the direct path is gone: both fall back to the relay
        amy.await("path", "kind", "relayed");
        frozen.release();
        arrivesWhole(bob, file); // the rest crosses the relay
        amy.await(e -> state(e, id, "done"));
        assertThat(amy.seen("path")).as("and stays there while the direct path carries nothing")
                .allSatisfy(e -> assertThat(e.string("kind")).isEqualTo("relayed"));
        assertThat(registry.relayStats().noPeerAddress()).as("the relay knew bob's address: he told it as he went direct")
                .isEqualTo(unknownBefore);
    }

    /** True for a datagram sent straight to the peer (PEER_DATA, PEER_CONTROL; a relayed one is RELAY) while {@code cut}. */
    private static boolean direct(AtomicBoolean cut, java.nio.ByteBuffer datagram) {
        int opcode = datagram.get(datagram.position() + 2) & 0xFF;
        return cut.get() && (opcode == PeerPacket.PEER_DATA || opcode == PeerPacket.PEER_CONTROL);
    }

    /** Index of the first line containing every one of {@code parts}, or -1. */
    private static int first(List<String> lines, String... parts) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (java.util.Arrays.stream(parts).allMatch(line::contains)) {
                return i;
            }
        }
        return -1;
    }
}
