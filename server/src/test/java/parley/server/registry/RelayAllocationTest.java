package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.loop.ManualClock;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Hot paths allocate nothing in steady state" for the relay, as {@link SteadyStateAllocationTest}
 * checks it for requests: the bytes the registry's loop thread allocates (its own exact counter)
 * while it forwards datagrams from one side of a relayed session to the other over real UDP. The
 * allowance covers the JDK's selector, which boxes a file descriptor above 127 per ready key
 * (16 bytes per wake-up, and here every datagram is its own wake-up). One sender throughout: the
 * JDK's receive allocates a new source address when the sender changes (UdpChannel says so).
 */
class RelayAllocationTest {
    private static final int WARMUP = 3_000;
    private static final int MEASURED = 3_000;
    private static final double ALLOWED_BYTES_PER_DATAGRAM = 20;

    @TempDir
    Path dir;

    @Test
    void forwardingADatagramAllocatesNothingOnTheLoop() throws Exception {
        RegistryConfig config = new RegistryConfig();
        config.sessionTimeoutNanos = TimeUnit.HOURS.toNanos(1);
        config.relaySessionPacketBurst = 1_000_000; // the clock is frozen: the buckets must hold the whole run
        config.relaySessionByteBurst = 1_000_000_000L;
        config.relayAccountByteBurst = 1_000_000_000L;
        try (RelayBed bed = RelayLifecycleTest.bothHeard(new RelayBed(dir, config, new ManualClock()).introduce())) {
            CompletableFuture<Long> id = new CompletableFuture<>();
            bed.fx.server.loop().execute(() -> id.complete(Thread.currentThread().getId()));
            long loopThread = id.get(10, TimeUnit.SECONDS);
            byte[] inner = bed.seal(bed.amySessionKeys(), bed.bobSid, "steady".getBytes(StandardCharsets.UTF_8));
            ByteBuffer datagram = RelayBed.wrap(bed.amyGrant, inner);
            for (int i = 0; i < WARMUP; i++) {
                relayOne(bed, datagram);
            }
            long before = allocated(loopThread);
            for (int i = 0; i < MEASURED; i++) {
                relayOne(bed, datagram);
            }
            double perDatagram = (allocated(loopThread) - before) / (double) MEASURED;
            System.out.printf("loop bytes per relayed datagram: %.1f%n", perDatagram);
            assertThat(perDatagram).as("bytes per relayed datagram").isLessThan(ALLOWED_BYTES_PER_DATAGRAM);
        }
    }

    private static void relayOne(RelayBed bed, ByteBuffer datagram) throws Exception {
        bed.send(bed.amyUdp, datagram.duplicate());
        assertThat(RelayBed.receive(bed.bobUdp)).isNotNull();
    }

    private static long allocated(long thread) {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getThreadAllocatedBytes(thread);
    }
}
