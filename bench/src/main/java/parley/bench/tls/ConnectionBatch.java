package parley.bench.tls;

import parley.core.loop.EventLoop;
import parley.core.tcp.CloseReason;
import parley.core.tcp.ConnectionHandler;
import parley.core.tcp.TcpConfig;
import parley.core.tcp.TcpConnection;
import parley.core.tcp.TlsConfig;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Opens {@code n} connections from the bench's loop, at most {@code parallel} being set up at once,
 * and reports when every one is open (for TLS: its handshake done) or failed. Loop-thread state;
 * the caller waits on the latch.
 */
final class ConnectionBatch {
    private final EventLoop loop;
    private final InetSocketAddress to;
    private final int n;
    private final int parallel;
    private final IntFunction<TlsConfig> tlsFor;
    private final CountDownLatch done;
    private final CountDownLatch closed;
    private final List<TcpConnection> open = new ArrayList<>();
    private int started;
    private int inFlight;
    private int failed;
    private long openedNanos;

    ConnectionBatch(EventLoop loop, InetSocketAddress to, int n, int parallel, IntFunction<TlsConfig> tlsFor) {
        this.loop = loop;
        this.to = to;
        this.n = n;
        this.parallel = parallel;
        this.tlsFor = tlsFor;
        this.done = new CountDownLatch(n);
        this.closed = new CountDownLatch(n);
    }

    /** Opens all, waits, and returns the seconds from the first connect to the last open. */
    double openAll() throws InterruptedException {
        long t0 = System.nanoTime();
        loop.execute(this::startMore);
        if (!done.await(600, TimeUnit.SECONDS)) {
            throw new IllegalStateException("connections not open after 600 s");
        }
        return (openedNanos - t0) / 1e9;
    }

    int failed() {
        return failed;
    }

    void closeAll() throws InterruptedException {
        loop.execute(() -> {
            for (TcpConnection c : open) {
                c.close();
            }
        });
        closed.await(120, TimeUnit.SECONDS);
    }

    private void startMore() {
        while (inFlight < parallel && started < n) {
            int i = started++;
            inFlight++;
            try {
                TcpConnection.connect(loop, to, new Handler(), TcpConfig.DEFAULT, tlsFor.apply(i));
            } catch (Exception e) {
                settle(false);
                closed.countDown();
            }
        }
    }

    private void settle(boolean ok) {
        inFlight--;
        if (!ok) {
            failed++;
        }
        openedNanos = System.nanoTime();
        done.countDown();
        startMore();
    }

    private final class Handler implements ConnectionHandler {
        private boolean opened;

        @Override
        public void onOpen(TcpConnection connection) {
            opened = true;
            open.add(connection);
            settle(true);
        }

        @Override
        public void onFrame(TcpConnection connection, ByteBuffer buffer, int offset, int length) {
        }

        @Override
        public void onClosed(TcpConnection connection, CloseReason reason) {
            if (!opened) {
                System.out.println("  connection failed: " + reason
                        + (connection.tlsFailure() != null ? " (" + connection.tlsFailure() + ")" : ""));
                settle(false);
            }
            closed.countDown();
        }
    }
}
