package parley.core.reliable;

import org.junit.jupiter.api.Test;
import parley.core.loop.EventLoop;
import parley.core.wire.Header;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static parley.core.reliable.PmtuLoopbackTest.waitFor;

/**
 * AES-256-GCM negotiated in-band (PROTOCOL.md 9.2, 9.3) between two sessions over real loopback
 * sockets: once both offered, packets of 4,096 frame bytes or more go sealed with AES-256-GCM
 * (flags 0x01) and smaller ones stay ChaCha20-Poly1305 (flags 0x00); a side that does not offer
 * gets, and sends, ChaCha20-Poly1305 only, and everything still arrives; a datagram whose flags
 * name an AEAD the session does not accept is counted malformed before any decryption, and the
 * session carries on.
 */
class AeadNegotiationTest {
    /** What one side put on the wire, by AEAD and by size (frames below or at least the GCM threshold). */
    static final class WireCount {
        final AtomicLong gcmBig = new AtomicLong();
        final AtomicLong gcmSmall = new AtomicLong();
        final AtomicLong chachaBig = new AtomicLong();
        final AtomicLong chachaSmall = new AtomicLong();
        final AtomicReference<byte[]> last = new AtomicReference<>();

        UnaryOperator<DatagramPath> path() {
            return path -> (d, to) -> {
                int frames = d.remaining() - PeerPacket.OVERHEAD;
                boolean gcm = d.get(d.position() + Header.FLAGS_OFFSET) == PeerPacket.FLAGS_GCM;
                boolean big = frames >= SessionAead.GCM_MIN_FRAMES;
                (gcm ? big ? gcmBig : gcmSmall : big ? chachaBig : chachaSmall).incrementAndGet();
                byte[] copy = new byte[d.remaining()];
                d.duplicate().get(copy);
                last.set(copy);
                return path.send(d, to);
            };
        }

        void reset() {
            gcmBig.set(0);
            gcmSmall.set(0);
            chachaBig.set(0);
            chachaSmall.set(0);
        }
    }

    /** {@code test} of a's session, on a's loop. */
    private static boolean onA(PeerPair p, Predicate<PeerSession> test) {
        return on(p.loopA, p.sa, test);
    }

    /** {@code test} of b's session, on b's loop. */
    private static boolean onB(PeerPair p, Predicate<PeerSession> test) {
        return on(p.loopB, p.sb, test);
    }

    private static boolean on(EventLoop loop, PeerSession s, Predicate<PeerSession> test) {
        try {
            return PeerPair.on(loop, () -> test.test(s));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A configuration whose side does not offer AES-256-GCM (as {@code -Dparley.aead.gcm=false}). */
    private static ReliableConfig notOffering() {
        ReliableConfig off = new ReliableConfig();
        off.offerGcm = false;
        return off;
    }

    /** Neither endpoint counted a malformed datagram or an authentication failure. */
    private static void assertNoDatagramDropped(PeerPair p) throws Exception {
        assertThat(PeerPair.on(p.loopB, () -> p.b.malformedDrops() + p.b.authFailures())).isZero();
        assertThat(PeerPair.on(p.loopA, () -> p.a.malformedDrops() + p.a.authFailures())).isZero();
    }

    /** One small message from a to b, which must arrive. */
    private static void chat(PeerPair p, String text) throws Exception {
        int before = p.recB.messages.size();
        p.recB.expectMessages(1);
        PeerPair.on(p.loopA, () -> p.sa.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8))));
        assertThat(p.recB.messagesLatch.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(p.recB.messages.get(before), StandardCharsets.UTF_8)).isEqualTo(text);
    }

    @Test
    void bothOfferSoBigPacketsGoAesGcmAndSmallOnesStayChaCha() throws Exception {
        WireCount fromA = new WireCount();
        try (PeerPair p = new PeerPair(new ReliableConfig(), fromA.path(), null)) {
            assertThat(waitFor(() -> onA(p, s -> s.reliable().peerAcceptsGcm()) && onB(p, s -> s.reliable().peerAcceptsGcm())))
                    .as("each side heard the other's SUITES").isTrue();
            assertThat(waitFor(() -> PmtuLoopbackTest.size(p) > SessionAead.GCM_MIN_FRAMES)).as("datagrams above 4 KB").isTrue();
            PeerPair.on(p.loopA, () -> {
                fromA.reset();
                return null;
            });
            PmtuLoopbackTest.transfer(p, 1);
            chat(p, "still chatting");
            assertThat(fromA.gcmBig.get()).as("big packets sealed with AES-256-GCM").isPositive();
            assertThat(fromA.chachaBig.get()).as("no big packet with ChaCha20-Poly1305 once negotiated").isZero();
            assertThat(fromA.gcmSmall.get()).as("no small packet with AES-256-GCM").isZero();
            assertThat(fromA.chachaSmall.get()).as("small packets (the chat message, pings) with ChaCha20-Poly1305").isPositive();
            assertThat(PeerPair.on(p.loopB, () -> p.sb.gcmPacketsReceived())).isPositive();
            assertThat(PeerPair.on(p.loopA, () -> p.sa.gcmPacketsSent())).isPositive();
            assertThat(onA(p, s -> s.reliable().suitesAcked()) && onB(p, s -> s.reliable().suitesAcked())).isTrue();
            assertThat(PeerPair.on(p.loopA, () -> p.sa.reliable().suitesSent())).isBetween(1, SuitesExchange.MAX_SENDS);
            assertNoDatagramDropped(p);
        }
    }

    @Test
    void aSideThatDoesNotOfferGetsAndSendsChaChaOnlyAndEverythingArrives() throws Exception {
        WireCount fromA = new WireCount();
        WireCount fromB = new WireCount();
        try (PeerPair p = new PeerPair(new ReliableConfig(), notOffering(), fromA.path(), fromB.path())) {
            assertThat(waitFor(() -> onA(p, s -> s.reliable().suitesAcked()))).as("b acknowledges a's SUITES").isTrue();
            assertThat(waitFor(() -> PmtuLoopbackTest.size(p) > SessionAead.GCM_MIN_FRAMES)).isTrue();
            PmtuLoopbackTest.transfer(p, 1);
            // and the other way: b, which did not offer, sends big packets too
            p.recA.expectMessages(8);
            PeerPair.on(p.loopB, () -> {
                for (int i = 0; i < 8; i++) {
                    p.sb.send(ByteBuffer.allocate(PmtuLoopbackTest.PIECE));
                }
                return null;
            });
            assertThat(p.recA.messagesLatch.await(60, TimeUnit.SECONDS)).isTrue();
            chat(p, "small");
            assertThat(fromA.chachaBig.get() + fromB.chachaBig.get()).as("big packets went, with ChaCha20-Poly1305").isPositive();
            assertThat(fromA.gcmBig.get() + fromA.gcmSmall.get() + fromB.gcmBig.get() + fromB.gcmSmall.get()).isZero();
            assertThat(onB(p, s -> s.reliable().peerAcceptsGcm())).as("a offered").isTrue();
            assertThat(onB(p, s -> s.reliable().offersGcm())).isFalse();
            assertThat(onA(p, s -> s.reliable().peerAcceptsGcm())).as("b sent no SUITES").isFalse();
            assertThat(PeerPair.on(p.loopB, () -> p.sb.reliable().suitesSent())).isZero();
            assertNoDatagramDropped(p);
        }
    }

    /**
     * A copy of a real datagram with its flags byte set to 0x01 reaches a side that did not
     * offer, and one set to 0x02 reaches a side that did: both are counted malformed, and neither
     * is decrypted (no authentication failure, though the changed flags byte, being associated
     * data, would fail the tag). Both sessions carry on.
     */
    @Test
    void flagsNamingAnAeadTheSessionDoesNotAcceptAreMalformedAndHarmNothing() throws Exception {
        WireCount fromA = new WireCount();
        WireCount fromB = new WireCount();
        try (PeerPair p = new PeerPair(new ReliableConfig(), notOffering(), fromA.path(), fromB.path());
             DatagramChannel raw = DatagramChannel.open()) {
            chat(p, "before");
            raw.bind(new InetSocketAddress("127.0.0.1", 0));
            byte[] toB = fromA.last.get().clone();
            toB[Header.FLAGS_OFFSET] = PeerPacket.FLAGS_GCM;
            raw.send(ByteBuffer.wrap(toB), p.b.localAddress());
            assertThat(waitFor(() -> onB(p, s -> p.b.malformedDrops() == 1))).as("0x01 to a side that did not offer").isTrue();
            byte[] toA = fromB.last.get().clone();
            toA[Header.FLAGS_OFFSET] = 0x02;
            raw.send(ByteBuffer.wrap(toA), p.a.localAddress());
            assertThat(waitFor(() -> onA(p, s -> p.a.malformedDrops() == 1))).as("0x02: no AEAD").isTrue();
            assertThat(PeerPair.on(p.loopB, () -> p.b.authFailures())).isZero();
            assertThat(PeerPair.on(p.loopA, () -> p.a.authFailures())).isZero();
            chat(p, "after");
            assertThat(onA(p, PeerSession::isOpen) && onB(p, PeerSession::isOpen)).isTrue();
        }
    }
}
