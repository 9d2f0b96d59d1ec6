package parley.server.registry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.server.client.RegistryClient;
import parley.server.client.SyncRegistryClient;
import parley.server.protocol.RegistryOpcodes;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The architecture rule "hot paths allocate nothing in steady state", checked where it matters:
 * the bytes the registry's loop thread allocates (its own counter, exact, no timing) while it
 * answers HEARTBEAT, SEARCH and WHO, the requests peers repeat all day.
 *
 * <p>The allowance per request covers the JDK, not Parley: the selector boxes a file descriptor
 * above 127 into an {@code Integer} for each ready key (16 bytes per wake-up, and here every
 * request is its own wake-up). Before they were made allocation-free, a SEARCH cost 352 bytes (no
 * match) to 513 bytes (two matches) and a WHO 150 bytes here.
 */
class SteadyStateAllocationTest {
    private static final int WARMUP = 3_000;
    private static final int MEASURED = 3_000;
    private static final double ALLOWED_BYTES_PER_REQUEST = 20;

    @TempDir
    Path dir;
    ServerFixture fx;
    long loopThread;

    @BeforeEach
    void start() throws Exception {
        RegistryConfig config = new RegistryConfig();
        config.requestsPerSecond = 1_000_000;
        config.requestBurst = 1_000_000;
        fx = new ServerFixture(dir, config);
        CompletableFuture<Long> id = new CompletableFuture<>();
        fx.server.loop().execute(() -> id.complete(Thread.currentThread().getId()));
        loopThread = id.get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void heartbeatSearchAndWhoAllocateNothingOnTheLoop() throws Exception {
        SyncRegistryClient amy = fx.user("amy");
        SyncRegistryClient bob = fx.user("bob");
        SyncRegistryClient bea = fx.user("Bea");
        SyncRegistryClient carol = fx.user("carol");
        fx.user("dan");
        // bob and Bea are public, carol is amy's contact: WHO walks both the public list and the
        // contacts, and SEARCH "b" finds two names, one of them written in upper case.
        assertThat(bob.call(RegistryOpcodes.SET_VISIBILITY, w -> w.u8(0)).ok()).isTrue();
        assertThat(bea.call(RegistryOpcodes.SET_VISIBILITY, w -> w.u8(0)).ok()).isTrue();
        Users.makeContacts(amy, "amy", carol, "carol");
        assertThat(Users.who(amy)).containsExactlyInAnyOrder("bob", "Bea", "carol");
        assertThat(Users.search(amy, "B")).containsExactly("Bea", "bob");

        double heartbeat = bytesPerRequest(amy, RegistryOpcodes.HEARTBEAT, w -> w.u8(1));
        double search = bytesPerRequest(amy, RegistryOpcodes.SEARCH, w -> w.string("B"));
        double searchMiss = bytesPerRequest(amy, RegistryOpcodes.SEARCH, w -> w.string("zed"));
        double who = bytesPerRequest(amy, RegistryOpcodes.WHO, w -> { });
        System.out.printf("loop bytes per request: heartbeat %.1f, search %.1f, search (no match) %.1f, who %.1f%n",
                heartbeat, search, searchMiss, who);
        assertThat(heartbeat).as("HEARTBEAT bytes per request").isLessThan(ALLOWED_BYTES_PER_REQUEST);
        assertThat(search).as("SEARCH bytes per request").isLessThan(ALLOWED_BYTES_PER_REQUEST);
        assertThat(searchMiss).as("SEARCH (no match) bytes per request").isLessThan(ALLOWED_BYTES_PER_REQUEST);
        assertThat(who).as("WHO bytes per request").isLessThan(ALLOWED_BYTES_PER_REQUEST);
    }

    private double bytesPerRequest(SyncRegistryClient c, int opcode, RegistryClient.Body body) throws Exception {
        for (int i = 0; i < WARMUP; i++) {
            assertThat(c.call(opcode, body).ok()).isTrue();
        }
        long before = allocated();
        for (int i = 0; i < MEASURED; i++) {
            c.call(opcode, body);
        }
        return (allocated() - before) / (double) MEASURED;
    }

    private long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getThreadAllocatedBytes(loopThread);
    }
}
