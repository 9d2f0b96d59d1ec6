package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.loop.EventLoop;
import parley.core.reliable.DatagramPath;
import parley.core.reliable.PeerEndpoint;
import parley.core.reliable.ReliableConfig;
import parley.core.reliable.SessionListener;
import parley.server.protocol.RelayDatagram;
import parley.server.protocol.RelayGrant;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nio-core's whole reliable, encrypted session, relay first: two {@link PeerEndpoint}s whose
 * every datagram is wrapped in RELAY with their own token and sent to the registry's UDP port
 * (as PROTOCOL.md 7.8 tells a peer holding a grant), exchanging messages both ways through the
 * relay, each delivered once and in order; no message's text appears in any datagram the relay
 * handled.
 */
class RelayPeerSessionTest {
    private static final int MESSAGES = 20;

    @TempDir
    Path dir;

    /** A path that wraps each datagram in RELAY with {@code grant}'s token and sends it to the relay; records what it sent. */
    private static java.util.function.UnaryOperator<DatagramPath> viaRelay(RelayGrant grant, InetSocketAddress relay,
                                                                          List<byte[]> seen) {
        ByteBuffer out = ByteBuffer.allocateDirect(RelayDatagram.MAX_LENGTH);
        return socket -> (d, to) -> {
            int n = d.remaining();
            out.clear();
            RelayDatagram.writeHeader(out, 0, grant.tokenHi(), grant.tokenLo(), n);
            out.position(RelayDatagram.INNER_OFFSET);
            out.put(d);
            out.flip();
            byte[] copy = new byte[out.remaining()];
            out.duplicate().get(copy);
            seen.add(copy);
            return socket.send(out, relay);
        };
    }

    private static final class Inbox implements SessionListener {
        final List<String> got = new CopyOnWriteArrayList<>();

        @Override
        public void onMessage(ByteBuffer message) {
            byte[] b = new byte[message.remaining()];
            message.get(b);
            got.add(new String(b, StandardCharsets.UTF_8));
        }
    }

    private static <T> T on(EventLoop loop, Callable<T> task) throws Exception {
        return loop.submit(task).get(30, TimeUnit.SECONDS);
    }

    @Test
    void twoReliableSessionsTalkBothWaysThroughTheRelayExactlyOnceInOrder() throws Exception {
        EventLoop loop = new EventLoop("relayed-peers").start();
        try (RelayBed bed = new RelayBed(dir).introduce()) {
            InetSocketAddress relay = bed.relay();
            List<byte[]> seen = new CopyOnWriteArrayList<>();
            Inbox atAmy = new Inbox();
            Inbox atBob = new Inbox();
            // Small messages: the endpoint's socket limit is its datagram size, and RELAY adds 28 bytes.
            ReliableConfig config = new ReliableConfig();
            InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
            PeerEndpoint amy = on(loop, () -> PeerEndpoint.open(loop, any, config));
            PeerEndpoint bob = on(loop, () -> PeerEndpoint.open(loop, any, config));
            on(loop, () -> {
                amy.path(viaRelay(bed.amyGrant, relay, seen));
                bob.path(viaRelay(bed.bobGrant, relay, seen));
                // Relay first: the only address either side knows of the other is the relay's.
                amy.openSession(bed.amySid, bed.bobSid, bed.amyKeys, bed.bobKeys.publicKey(), relay, atAmy);
                bob.openSession(bed.bobSid, bed.amySid, bed.bobKeys, bed.amyKeys.publicKey(), relay, atBob);
                return null;
            });
            List<String> toBob = new ArrayList<>();
            List<String> toAmy = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                toBob.add("amy-secret-" + i);
                toAmy.add("bob-secret-" + i);
            }
            on(loop, () -> {
                for (int i = 0; i < MESSAGES; i++) {
                    amy.session(bed.amySid).send(ByteBuffer.wrap(toBob.get(i).getBytes(StandardCharsets.UTF_8)));
                    bob.session(bed.bobSid).send(ByteBuffer.wrap(toAmy.get(i).getBytes(StandardCharsets.UTF_8)));
                }
                return null;
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((atBob.got.size() < MESSAGES || atAmy.got.size() < MESSAGES) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(atBob.got).as("amy's messages at bob").containsExactlyElementsOf(toBob);
            assertThat(atAmy.got).as("bob's messages at amy").containsExactlyElementsOf(toAmy);
            RelayStats s = bed.fx.server.relayStats();
            assertThat(s.packets()).as("everything went through the relay").isPositive();
            for (byte[] d : seen) {
                for (String m : toBob) {
                    assertThat(RelayForwardingTest.contains(d, m.getBytes(StandardCharsets.UTF_8))).isFalse();
                }
                for (String m : toAmy) {
                    assertThat(RelayForwardingTest.contains(d, m.getBytes(StandardCharsets.UTF_8))).isFalse();
                }
            }
        } finally {
            loop.close();
        }
    }
}
