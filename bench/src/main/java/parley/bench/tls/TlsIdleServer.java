package parley.bench.tls;

import parley.core.loop.EventLoop;
import parley.core.loop.WorkQueue;
import parley.core.tcp.ConnectionHandler;
import parley.core.tcp.TcpConfig;
import parley.core.tcp.TcpConnection;
import parley.core.tcp.TcpListener;
import parley.core.tcp.TlsConfig;
import parley.core.tls.ServerIdentity;
import parley.core.tls.TlsContexts;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The server half of `bench tls`, a child process: one nio-core loop accepting TCP connections,
 * with TLS 1.3 through {@code TlsTransport} (identity from the directory in {@code args[0]}, made by
 * the bench) or, with {@code args[0] = "plain"}, without. Connections are held and never answered, so
 * the process's heap is the transport's cost per connection and its CPU is the handshakes'. This is
 * nio-core's TLS alone, not the registry: the registry's own per-session state is measured by
 * `bench idle` and comes on top. Prints the ready line {@code ServerProcess} waits for.
 */
public final class TlsIdleServer {
    /** Handshakes that may wait for the task pool at once: a storm of 1,000 must not be refused as OVERLOADED. */
    private static final int TASK_QUEUE = 16_384;

    private TlsIdleServer() {
    }

    public static void main(String[] args) throws Exception {
        boolean plain = args[0].equals("plain");
        TlsConfig tls = null;
        WorkQueue<Runnable> pool = null;
        if (!plain) {
            ServerIdentity id = ServerIdentity.loadOrCreate(Path.of(args[0]), "parley-bench").identity;
            pool = TlsConfig.newTaskPool("bench-tls-tasks", 1, TASK_QUEUE);
            javax.net.ssl.KeyManager[] counting = {new CountingKeyManager(
                    (javax.net.ssl.X509ExtendedKeyManager) TlsContexts.keyManagers(id)[0], Path.of(args[0]))};
            tls = TlsConfig.server(TlsContexts.server(counting), pool).withHandshakeTimeout(TlsBenchCommand.HANDSHAKE_TIMEOUT_NANOS);
        }
        TlsConfig config = tls;
        EventLoop loop = new EventLoop("bench-tls-server").start();
        InetSocketAddress[] bound = new InetSocketAddress[1];
        CountDownLatch ready = new CountDownLatch(1);
        loop.execute(() -> {
            try {
                TcpListener l = TcpListener.bind(loop, new InetSocketAddress("127.0.0.1", 0), c -> new Silent(),
                        TcpConfig.DEFAULT, config);
                bound[0] = l.localAddress();
            } catch (Exception e) {
                e.printStackTrace();
            }
            ready.countDown();
        });
        ready.await();
        System.out.println("listening on tcp " + bound[0].getAddress().getHostAddress() + ":" + bound[0].getPort()
                + ", udp 127.0.0.1:0");
        System.out.flush();
        Thread.currentThread().join(); // until the bench destroys the process
    }

    /** Holds the connection and ignores what arrives. */
    private static final class Silent implements ConnectionHandler {
        @Override
        public void onFrame(TcpConnection connection, ByteBuffer buffer, int offset, int length) {
        }
    }
}
