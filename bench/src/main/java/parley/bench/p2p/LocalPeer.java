package parley.bench.p2p;

import parley.core.crypto.X25519KeyPair;
import parley.core.loop.EventLoop;
import parley.core.reliable.FaultInjector;
import parley.core.reliable.PeerEndpoint;
import parley.core.reliable.PeerSession;
import parley.core.reliable.ReliableConfig;
import parley.core.reliable.SessionListener;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * This process's peer in `bench p2p`: a loop, an endpoint and one session with the child
 * ({@link P2pChild}); the measurement sets the callbacks before it sends.
 */
final class LocalPeer implements AutoCloseable {
    final EventLoop loop = new EventLoop("p2p-local").start();
    PeerSession session;
    volatile java.util.function.Consumer<ByteBuffer> onMessage = m -> { };
    volatile java.util.function.LongConsumer onDelivered = id -> { };
    volatile Runnable resume = () -> { };

    LocalPeer(P2pBenchCommand.Child child, double l, double d, double r) throws Exception {
        X25519KeyPair keys = X25519KeyPair.generate();
        long sid = new java.security.SecureRandom().nextLong();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                PeerEndpoint e = PeerEndpoint.open(loop, new InetSocketAddress("127.0.0.1", 0), new ReliableConfig());
                if (l + d + r > 0) {
                    e.path(p -> new FaultInjector(loop, p, 7, l, d, r));
                }
                child.writer.println("peer " + e.localAddress().getPort() + " " + HexFormat.of().formatHex(keys.publicKey()) + " " + sid);
                session = e.openSession(sid, child.sid, keys, child.key, new InetSocketAddress("127.0.0.1", child.port),
                        new SessionListener() {
                            @Override
                            public void onMessage(ByteBuffer message) {
                                onMessage.accept(message);
                            }

                            @Override
                            public void onDelivered(long messageId) {
                                onDelivered.accept(messageId);
                            }

                            @Override
                            public void onFailed(long messageId, String reason) {
                            }

                            @Override
                            public void onDead(String reason) {
                                System.err.println("session died: " + reason);
                            }

                            @Override
                            public void onWritable() {
                                resume.run();
                            }
                        });
                ready.complete(null);
            } catch (Exception ex) {
                ready.completeExceptionally(ex);
            }
        });
        ready.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        loop.close();
    }
}
