package parley.peer.net;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import parley.core.crypto.X25519KeyPair;
import parley.core.loop.EventLoop;
import parley.peer.core.ChatPayload;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 defect 4 and issue 19 item 10, on real sockets: what the receiving peer cannot read,
 * or whose text is over 16 KiB, is rejected, and the sender reports it failed, not delivered.
 */
class ChatRejectTest {
    private final EventLoop loop = new EventLoop("reject-test").start();

    /** Records outcomes; the receiving side judges payloads exactly as the peer's Conversations does. */
    private static final class Side implements PeerTransport.Listener {
        final ConcurrentHashMap<Long, CompletableFuture<String>> outcome = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, Boolean> received = new ConcurrentHashMap<>();

        CompletableFuture<String> of(long id) {
            return outcome.computeIfAbsent(id, k -> new CompletableFuture<>());
        }

        @Override
        public int onMessage(long sessionId, ByteBuffer payload) {
            int reject = ChatPayload.check(payload, ChatPayload.MAX_TEXT);
            if (reject == 0) {
                received.put(ChatPayload.decode(payload).text, true);
            }
            return reject;
        }

        @Override
        public void onDelivered(long sessionId, long messageId) {
            of(messageId).complete("delivered");
        }

        @Override
        public void onFailed(long sessionId, long messageId, String reason) {
            of(messageId).complete("failed: " + reason);
        }

        @Override
        public void onRejected(long sessionId, long messageId, int reason) {
            of(messageId).complete("rejected " + reason);
        }

        @Override
        public void onSessionDead(long sessionId, String reason) {
        }
    }

    private <T> T on(Callable<T> task) throws Exception {
        return loop.submit(task).get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        loop.close();
    }

    @Test
    void unreadableAndOversizedMessagesAreRejectedAndReportedFailed() throws Exception {
        Side alice = new Side();
        Side bob = new Side();
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        int limit = ChatPayload.channelLimit(ChatPayload.MAX_TEXT);
        ReliableTransport a = on(() -> ReliableTransport.open(loop, any, alice, Faults.NONE, limit));
        ReliableTransport b = on(() -> ReliableTransport.open(loop, any, bob, Faults.NONE, limit));
        X25519KeyPair ka = X25519KeyPair.generate();
        X25519KeyPair kb = X25519KeyPair.generate();
        on(() -> {
            a.open(1, 2, ka, kb.publicKey(), b.localAddress());
            b.open(2, 1, kb, ka.publicKey(), a.localAddress());
            return null;
        });

        char[] full = new char[ChatPayload.MAX_TEXT];
        Arrays.fill(full, 'x');
        String exactly16k = new String(full);
        long plain = on(() -> a.send(1, ByteBuffer.wrap("plain UTF-8, no chat header".getBytes(StandardCharsets.UTF_8))));
        long good = on(() -> a.send(1, ByteBuffer.wrap(ChatPayload.encode(7, 8, "fine"))));
        long max = on(() -> a.send(1, ByteBuffer.wrap(ChatPayload.encode(9, 10, exactly16k))));
        long over = on(() -> a.send(1, ByteBuffer.wrap(ChatPayload.encode(11, 12, exactly16k + "y"))));

        assertThat(alice.of(plain).get(30, TimeUnit.SECONDS)).isEqualTo("rejected " + ChatPayload.REJECT_MALFORMED);
        assertThat(alice.of(good).get(30, TimeUnit.SECONDS)).isEqualTo("delivered");
        assertThat(alice.of(max).get(30, TimeUnit.SECONDS)).isEqualTo("delivered");
        assertThat(alice.of(over).get(30, TimeUnit.SECONDS)).isEqualTo("rejected " + ChatPayload.REJECT_TOO_LARGE);
        assertThat(bob.received).containsOnlyKeys("fine", exactly16k);
        assertThat(on(() -> a.isOpen(1) && b.isOpen(2))).isTrue();
        assertThat(on(() -> b.maxMessageSize())).isEqualTo(limit);
    }
}
