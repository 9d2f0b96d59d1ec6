package parley.core.tcp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.tls.PinStore;
import parley.core.tls.PinningTrustManager;
import parley.core.tls.TlsContexts;

import javax.net.ssl.SSLSocket;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bytes the loop thread allocates per echoed frame on an established TLS connection. The client
 * is a blocking socket on the test thread, so only the server's work lands on the loop. The JDK's
 * SSLEngine allocates internally on every wrap and unwrap (an SSLEngineResult each, and record
 * bookkeeping), so the figure is not zero: it is printed, and bounded to catch a regression that
 * would add per-frame buffers of our own.
 */
class TlsAllocationTest {
    private static final int WARMUP = 2_000;
    private static final int MEASURED = 2_000;
    // Measured about 3.1 KB on JDK 17.0.15 (one unwrap and one wrap; SSLEngineResult, the engine's
    // record plumbing and AES-GCM state); a per-frame record buffer of our own would add 16 KB.
    private static final double ALLOWED_BYTES_PER_FRAME = 8192;
    @TempDir
    Path dir;
    private final TlsFixture fx = new TlsFixture();

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void anEchoedFrameAllocatesLittleOnTheLoop() throws Exception {
        TlsFixture.EchoHandler server = new TlsFixture.EchoHandler();
        int port = fx.listen(TcpConfig.DEFAULT, fx.server(), c -> server);
        Thread loopThread = fx.onLoop(Thread::currentThread);
        try (SSLSocket s = TlsFixture.blockingClient(TlsContexts.clientPinned(
                new PinningTrustManager("t", null, new PinStore(dir.resolve("pins")), "x")), port)) {
            byte[] f = TlsFixture.frame(TlsFixture.ECHO, 1, 100);
            OutputStream out = s.getOutputStream();
            echo(s, out, f, WARMUP);
            long before = allocated(loopThread);
            echo(s, out, f, MEASURED);
            double perFrame = (allocated(loopThread) - before) / (double) MEASURED;
            System.out.printf("TLS loop bytes per echoed 112-byte frame: %.1f%n", perFrame);
            assertThat(perFrame).isLessThan(ALLOWED_BYTES_PER_FRAME);
        }
    }

    private static void echo(SSLSocket s, OutputStream out, byte[] f, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            out.write(f);
            assertThat(BlockingFrames.read(s)).isNotNull();
        }
    }

    private static long allocated(Thread t) {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getThreadAllocatedBytes(t.getId());
    }
}
