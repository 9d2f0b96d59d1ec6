package parley.peer.net;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import parley.core.loop.EventLoop;
import parley.core.loop.ManualClock;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Two transports on one loop over real loopback sockets; retransmission timing on synthetic time. */
class UdpTransportTest {
    private final ManualClock clock = new ManualClock();
    private final EventLoop loop = new EventLoop("transport-test", clock).start();
    private final List<String> a = new CopyOnWriteArrayList<>();
    private final List<String> b = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        loop.close();
    }

    private <T> T onLoop(Supplier<T> s) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                f.complete(s.get());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(10, TimeUnit.SECONDS);
    }

    private static PeerTransport.Listener recorder(List<String> log) {
        return new PeerTransport.Listener() {
            @Override
            public void onMessage(long sessionId, byte[] payload) {
                log.add("message " + new String(payload));
            }

            @Override
            public void onDelivered(long sessionId, long messageId) {
                log.add("delivered " + messageId);
            }

            @Override
            public void onFailed(long sessionId, long messageId, String reason) {
                log.add("failed " + messageId);
            }

            @Override
            public void onSessionDead(long sessionId, String reason) {
                log.add("dead " + sessionId);
            }

            @Override
            public void onStrayDatagram(InetSocketAddress from, ByteBuffer datagram) {
                log.add("stray");
            }
        };
    }

    private void until(List<String> log, String entry) throws Exception {
        for (int i = 0; i < 10_000 && !log.contains(entry); i++) {
            onLoop(() -> null); // one more turn of the loop: let queued datagrams arrive
            if (!log.contains(entry)) {
                Thread.onSpinWait();
            }
        }
        assertThat(log).contains(entry);
    }

    @Test
    void messagesAreSealedDeliveredAndAcknowledgedBothWays() throws Exception {
        KeyPair ka = KeyPair.generate();
        KeyPair kb = KeyPair.generate();
        UdpTransport[] t = onLoop(() -> {
            try {
                return new UdpTransport[]{
                        UdpTransport.open(loop, new InetSocketAddress("127.0.0.1", 0), recorder(a), FaultInjector.NONE),
                        UdpTransport.open(loop, new InetSocketAddress("127.0.0.1", 0), recorder(b), FaultInjector.NONE)};
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        onLoop(() -> {
            t[0].open(11, 22, ka, kb.publicKey(), t[1].localAddress());
            t[1].open(22, 11, kb, ka.publicKey(), t[0].localAddress());
            return null;
        });
        assertThat(onLoop(() -> t[0].fingerprint(11))).isEqualTo(onLoop(() -> t[1].fingerprint(22)));
        long id = onLoop(() -> t[0].send(11, "ping".getBytes()));
        until(b, "message ping");
        until(a, "delivered " + id);
        long back = onLoop(() -> t[1].send(22, "pong".getBytes()));
        until(a, "message pong");
        until(b, "delivered " + back);
        SessionStats s = onLoop(() -> t[0].stats(11));
        assertThat(s.retransmissions).isZero();
        assertThat(s.bytesSent).isPositive();
        onLoop(() -> {
            t[0].shutdown();
            t[1].shutdown();
            return null;
        });
    }

    @Test
    void anUnansweredMessageIsRetransmittedOnTimersThenFailsAndTheSessionDies() throws Exception {
        KeyPair ka = KeyPair.generate();
        KeyPair nobody = KeyPair.generate();
        UdpTransport t = onLoop(() -> {
            try {
                return UdpTransport.open(loop, new InetSocketAddress("127.0.0.1", 0), recorder(a), FaultInjector.NONE);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // Our own socket as the "peer": the datagrams arrive, name no session of ours, and are dropped.
        onLoop(() -> {
            t.open(11, 99, ka, nobody.publicKey(), t.localAddress());
            return null;
        });
        long id = onLoop(() -> t.send(11, "hello?".getBytes()));
        for (int i = 1; i < UdpTransport.MAX_ATTEMPTS; i++) {
            assertThat(a).doesNotContain("failed " + id);
            onLoop(() -> {
                clock.advance(3, TimeUnit.SECONDS);
                return null;
            });
            long expected = i;
            // The due timer fires at the end of the loop turn that moved the clock.
            for (int turn = 0; turn < 10_000 && onLoop(() -> t.stats(11)).retransmissions < expected; turn++) {
                Thread.onSpinWait();
            }
            assertThat(onLoop(() -> t.stats(11)).retransmissions).isEqualTo(expected);
        }
        onLoop(() -> {
            clock.advance(3, TimeUnit.SECONDS);
            return null;
        });
        until(a, "dead 11");
        assertThat(a).containsSubsequence("failed " + id, "dead 11");
        assertThat(onLoop(() -> t.isOpen(11))).isFalse();
        onLoop(() -> {
            t.shutdown();
            return null;
        });
    }
}
