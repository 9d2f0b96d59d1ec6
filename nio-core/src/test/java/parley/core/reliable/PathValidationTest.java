package parley.core.reliable;

import org.junit.jupiter.api.Test;
import parley.core.wire.Header;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19 item 9, peer channel: a captured datagram replayed from a forged source authenticates,
 * and used to move the session there, so an attacker on the path could point a peer's traffic at
 * a third party. Now only an address that answers a path challenge receives the session.
 */
class PathValidationTest {
    static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aCapturedDatagramSentFromAnotherAddressDoesNotRedirectTheSession() throws Exception {
        AtomicBoolean intercept = new AtomicBoolean();
        List<byte[]> captured = new CopyOnWriteArrayList<>();
        try (PeerPair p = new PeerPair(new ReliableConfig(), path -> (d, to) -> {
            if ((d.get(d.position() + Header.OPCODE_OFFSET) & 0xFF) == PeerPacket.PEER_DATA && intercept.getAndSet(false)) {
                byte[] copy = new byte[d.remaining()];
                d.duplicate().get(copy);
                captured.add(copy); // the attacker takes it off the wire before B sees it
                return true;
            }
            return path.send(d, to);
        }, null);
             DatagramChannel attacker = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            p.recB.expectMessages(1);
            PeerPair.on(p.loopA, () -> p.sa.send(text("before")));
            assertThat(p.recB.messagesLatch.await(30, TimeUnit.SECONDS)).isTrue();

            p.recB.expectMessages(1);
            intercept.set(true);
            PeerPair.on(p.loopA, () -> p.sa.send(text("stolen")));
            PeerFaultsTest.awaitTrue(() -> !captured.isEmpty());
            attacker.send(ByteBuffer.wrap(captured.get(0)), p.b.localAddress());
            // It authenticates, so its data is taken...
            assertThat(p.recB.messagesLatch.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(p.recB.messages.get(1), StandardCharsets.UTF_8)).isEqualTo("stolen");
            // ...but the session stays where it was; the new address got at most a challenge. (When A's
            // retransmission of the stolen data reaches B first, the replayed packet is no longer
            // B's newest and starts no validation at all: on a loaded machine that order happens.)
            assertThat(PeerPair.on(p.loopB, () -> p.sb.remoteAddress())).isEqualTo(p.a.localAddress());
            assertThat(PeerPair.on(p.loopB, () -> p.sb.rebinds())).isZero();
            assertThat(PeerPair.on(p.loopB, () -> p.sb.pathChallenges())).isLessThanOrEqualTo(1);

            p.recA.expectMessages(1);
            PeerPair.on(p.loopB, () -> p.sb.send(text("reply")));
            assertThat(p.recA.messagesLatch.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(p.recA.messages.get(0), StandardCharsets.UTF_8)).isEqualTo("reply");

            // What reached the attacker's address: the one small challenge, never data.
            attacker.configureBlocking(false);
            ByteBuffer got = ByteBuffer.allocate(2048);
            int datagrams = 0;
            while (attacker.receive(got) != null) {
                got.flip();
                assertThat(got.get(Header.OPCODE_OFFSET) & 0xFF).isEqualTo(PeerPacket.PEER_CONTROL);
                datagrams++;
                got.clear();
            }
            assertThat(datagrams).isLessThanOrEqualTo(1);
        }
    }
}
