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

/** Faults on real loopback sockets: a lost tail, a vanished peer, hostile datagrams. */
class PeerFaultsTest {
    static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aLostFinalMessageIsRecoveredWithNoFurtherTraffic() throws Exception {
        AtomicBoolean armed = new AtomicBoolean();
        FaultInjector[] injector = new FaultInjector[1];
        ReliableConfig noOtherTraffic = new ReliableConfig();
        noOtherTraffic.datagramCeiling = noOtherTraffic.maxDatagram; // an acked MTU probe would recover it first (PROTOCOL.md 9.8)
        noOtherTraffic.offerGcm = false; // so would a SUITES sent again (9.3): a's first is lost before b's session exists
        try (PeerPair p = new PeerPair(noOtherTraffic, null, null)) {
            PeerPair.on(p.loopA, () -> {
                p.a.path(path -> injector[0] = new FaultInjector(p.loopA, path, 7, 0, 0, 0).dropWhen((seq, d) ->
                        (d.get(d.position() + Header.OPCODE_OFFSET) & 0xFF) == PeerPacket.PEER_DATA && armed.getAndSet(false)));
                return null;
            });
            p.recB.expectMessages(3);
            p.recA.expectDelivered(3);
            PeerPair.on(p.loopA, () -> p.sa.send(text("one")));
            PeerPair.on(p.loopA, () -> p.sa.send(text("two")));
            PeerPair.on(p.loopA, () -> {
                armed.set(true); // the datagram carrying the last message is lost
                return p.sa.send(text("last"));
            });
            assertThat(p.recB.messagesLatch.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.recA.deliveredLatch.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(p.recB.messages.get(2), StandardCharsets.UTF_8)).isEqualTo("last");
            assertThat(PeerPair.on(p.loopA, () -> injector[0].dropped())).isEqualTo(1);
            assertThat(PeerPair.on(p.loopA, () -> p.sa.reliable().counters().probesSent())).as("recovered by a probe").isPositive();
        }
    }

    @Test
    void aVanishedPeerFailsTheSessionAndEveryPendingMessage() throws Exception {
        ReliableConfig config = new ReliableConfig();
        config.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(500);
        config.maxProbes = 4;
        try (PeerPair p = new PeerPair(config, null, null)) {
            p.recB.expectMessages(1);
            p.recA.expectDelivered(1);
            PeerPair.on(p.loopA, () -> p.sa.send(text("hello")));
            assertThat(p.recB.messagesLatch.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.recA.deliveredLatch.await(30, TimeUnit.SECONDS)).isTrue();
            p.loopB.close(); // B vanishes: its socket is gone, nothing answers any more
            List<Long> ids = PeerPair.on(p.loopA, () -> {
                List<Long> sent = new CopyOnWriteArrayList<>();
                for (int i = 0; i < 5; i++) {
                    sent.add(p.sa.send(text("into the void " + i)));
                }
                return sent;
            });
            String reason = p.recA.dead.get(30, TimeUnit.SECONDS);
            assertThat(reason).isNotBlank();
            assertThat(p.recA.failed.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(PeerPair.on(p.loopA, () -> p.a.sessionCount())).isZero();
        }
    }

    @Test
    void forgedReplayedAndTruncatedDatagramsAreDroppedAndCountedAndTheSessionGoesOn() throws Exception {
        List<byte[]> captured = new CopyOnWriteArrayList<>();
        try (PeerPair p = new PeerPair(new ReliableConfig(), path -> (d, to) -> {
            byte[] copy = new byte[d.remaining()];
            d.duplicate().get(copy);
            if ((copy[Header.OPCODE_OFFSET] & 0xFF) == PeerPacket.PEER_DATA) {
                // only packets with stream bytes: the last is the one b has delivered "genuine" from;
                // a control packet (an ACK, a SUITES sent again) could still be on its way to b
                captured.add(copy);
            }
            return path.send(d, to);
        }, null)) {
            p.recB.expectMessages(1);
            PeerPair.on(p.loopA, () -> p.sa.send(text("genuine")));
            assertThat(p.recB.messagesLatch.await(30, TimeUnit.SECONDS)).isTrue();
            InetSocketAddress b = p.b.localAddress();
            long[] before = PeerPair.on(p.loopB, () -> new long[] {p.sb.reliable().counters().duplicatePackets(), p.b.authFailures(),
                    p.b.malformedDrops(), p.b.unknownSessionDrops()});
            byte[] real = captured.get(captured.size() - 1);
            try (DatagramChannel attacker = DatagramChannel.open()) {
                attacker.send(ByteBuffer.wrap(real), b); // replay of a real, authentic packet
                byte[] forged = real.clone();
                forged[forged.length - 20] ^= 0x55; // flip ciphertext bits
                attacker.send(ByteBuffer.wrap(forged), b);
                byte[] truncated = java.util.Arrays.copyOf(real, PeerPacket.OVERHEAD - 1);
                attacker.send(ByteBuffer.wrap(truncated), b);
                byte[] cut = java.util.Arrays.copyOf(real, real.length - 3); // length field now lies
                attacker.send(ByteBuffer.wrap(cut), b);
                byte[] wrongSession = real.clone();
                wrongSession[PeerPacket.SESSION_ID_OFFSET] ^= 1;
                attacker.send(ByteBuffer.wrap(wrongSession), b);
            }
            p.recB.expectMessages(1);
            PeerPair.on(p.loopA, () -> p.sa.send(text("still here")));
            assertThat(p.recB.messagesLatch.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(p.recB.messages.get(p.recB.messages.size() - 1), StandardCharsets.UTF_8)).isEqualTo("still here");
            assertThat(p.recB.messages).hasSize(2);
            assertThat(PeerPair.on(p.loopB, () -> p.sb.isOpen())).isTrue();
            long[] after = PeerPair.on(p.loopB, () -> new long[] {p.sb.reliable().counters().duplicatePackets(), p.b.authFailures(),
                    p.b.malformedDrops(), p.b.unknownSessionDrops()});
            assertThat(after[0] - before[0]).as("the replay and the forged copy of it").isEqualTo(2);
            assertThat(after[2] - before[2]).as("truncated").isEqualTo(2);
            assertThat(after[3] - before[3]).as("wrong session").isEqualTo(1);
            // The forged copy reuses the replayed packet number, so it is refused before decryption too;
            // a forgery under a fresh number fails authentication instead:
            long forgedBefore = after[1];
            byte[] fresh = real.clone();
            ByteBuffer.wrap(fresh).putInt(Header.CORRELATION_OFFSET, 1_000_000);
            try (DatagramChannel attacker = DatagramChannel.open()) {
                attacker.send(ByteBuffer.wrap(fresh), b);
            }
            p.recB.expectMessages(1);
            PeerPair.on(p.loopA, () -> p.sa.send(text("and still")));
            assertThat(p.recB.messagesLatch.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(PeerPair.on(p.loopB, () -> p.b.authFailures()) - forgedBefore).as("forged").isEqualTo(1);
        }
    }

    @Test
    void aSessionFollowsItsPeerToANewAddress() throws Exception {
        try (PeerPair p = new PeerPair(new ReliableConfig(), null, null);
             DatagramChannel relay = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            p.recB.expectMessages(1);
            PeerPair.on(p.loopA, () -> p.sa.send(text("before")));
            assertThat(p.recB.messagesLatch.await(30, TimeUnit.SECONDS)).isTrue();
            // A's datagrams now leave through another port, as after a NAT rebinding; like a NAT,
            // the new port also carries B's answers back to A, so A can answer B's path challenge.
            // The NAT maps A to B alone, so what A sends goes to B whatever A aims at (A sees B's
            // packets arrive from the relay, as a NAT's inside would show a rewritten source).
            InetSocketAddress bAt = p.b.localAddress();
            Thread back = new Thread(() -> relayBack(relay, p.a.localAddress()), "nat-back");
            back.setDaemon(true);
            back.start();
            PeerPair.on(p.loopA, () -> {
                p.a.path(path -> (d, to) -> {
                    try {
                        relay.send(d, bAt);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    return true;
                });
                return null;
            });
            p.recB.expectMessages(1);
            PeerPair.on(p.loopA, () -> p.sa.send(text("after")));
            assertThat(p.recB.messagesLatch.await(30, TimeUnit.SECONDS)).isTrue();
            awaitTrue(() -> PeerPair.on(p.loopB, () -> p.sb.rebinds()) == 1);
            assertThat(PeerPair.on(p.loopB, () -> p.sb.remoteAddress())).isEqualTo(relay.getLocalAddress());
            assertThat(PeerPair.on(p.loopB, () -> p.sb.pathChallenges())).isPositive();
            // Traffic from B now goes through the new port and still reaches A.
            p.recA.expectMessages(1);
            PeerPair.on(p.loopB, () -> p.sb.send(text("to the new address")));
            assertThat(p.recA.messagesLatch.await(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** Forwards whatever reaches {@code relay} to {@code to}, until the relay is closed. */
    static void relayBack(DatagramChannel relay, InetSocketAddress to) {
        ByteBuffer buf = ByteBuffer.allocate(2048);
        try {
            while (true) {
                buf.clear();
                relay.receive(buf);
                buf.flip();
                relay.send(buf, to);
            }
        } catch (java.io.IOException e) {
            // closed: the test is over
        }
    }

    /** Polls a condition with a generous bound that only stops a hang; no timing is asserted. */
    static void awaitTrue(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.call()) {
            assertThat(System.nanoTime()).as("condition not reached").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
