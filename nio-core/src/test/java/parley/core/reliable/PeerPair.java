package parley.core.reliable;

import parley.core.crypto.X25519KeyPair;
import parley.core.loop.EventLoop;

import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** Two peer endpoints with one session between them, each on its own loop, over real loopback sockets. */
final class PeerPair implements AutoCloseable {
    final EventLoop loopA = new EventLoop("peer-a").start();
    final EventLoop loopB = new EventLoop("peer-b").start();
    final Recorder recA = new Recorder();
    final Recorder recB = new Recorder();
    PeerEndpoint a;
    PeerEndpoint b;
    PeerSession sa;
    PeerSession sb;

    PeerPair(ReliableConfig config, UnaryOperator<DatagramPath> pathA, UnaryOperator<DatagramPath> pathB) throws Exception {
        this(config, config, pathA, pathB);
    }

    /** With a configuration per side (one side not offering AES-256-GCM, say). */
    PeerPair(ReliableConfig configA, ReliableConfig configB, UnaryOperator<DatagramPath> pathA, UnaryOperator<DatagramPath> pathB)
            throws Exception {
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        a = on(loopA, () -> PeerEndpoint.open(loopA, any, configA));
        b = on(loopB, () -> PeerEndpoint.open(loopB, any, configB));
        X25519KeyPair ka = X25519KeyPair.generate();
        X25519KeyPair kb = X25519KeyPair.generate();
        on(loopA, () -> {
            if (pathA != null) {
                a.path(pathA);
            }
            return null;
        });
        on(loopB, () -> {
            if (pathB != null) {
                b.path(pathB);
            }
            return null;
        });
        sa = on(loopA, () -> a.openSession(11L, 22L, ka, kb.publicKey(), b.localAddress(), recA));
        sb = on(loopB, () -> b.openSession(22L, 11L, kb, ka.publicKey(), a.localAddress(), recB));
    }

    static <T> T on(EventLoop loop, Callable<T> task) throws Exception {
        return loop.submit(task).get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        loopA.close();
        loopB.close();
    }
}
