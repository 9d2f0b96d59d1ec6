package parley.bench.registry;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import parley.bench.baseline.FloorRegistryServer;
import parley.core.loop.EventLoop;
import parley.core.wire.ErrorCode;
import parley.server.protocol.client.RegistryClient;
import parley.server.protocol.RegistryOpcodes;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The raw NIO floor of `bench registry`: it answers the bench's requests, and the bench prints it. */
class FloorBenchTest {
    @Test
    void theFloorAnswersEveryBenchRequestInAShapeTheClientParses() throws Exception {
        FloorRegistryServer floor = new FloorRegistryServer(new InetSocketAddress("127.0.0.1", 0));
        Thread serving = new Thread(() -> {
            try {
                floor.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "floor");
        serving.start();
        try (EventLoop loop = new EventLoop("floor-test-client").start()) {
            SessionPool pool = new SessionPool(loop, new InetSocketAddress("127.0.0.1", floor.port()), "b");
            pool.connectOnly(3, 3);
            assertThat(pool.clients()).hasSize(3);
            RegistryClient c = pool.clients().get(1);
            CompletableFuture<String> answers = new CompletableFuture<>();
            loop.execute(() -> c.request(RegistryOpcodes.HEARTBEAT, w -> w.u8(1), (e1, r1, b1) -> {
                int interval = b1.i32();
                c.request(RegistryOpcodes.SEARCH, w -> w.string("b1"), (e2, r2, b2) -> {
                    int count = b2.u16();
                    String name = b2.string(64);
                    c.request(RegistryOpcodes.WHO, (e3, r3, b3) -> {
                        int online = b3.u16();
                        c.request(0xEE, (e4, r4, b4) -> answers.complete(
                                e1 + " " + interval + " " + e2 + " " + count + " " + name + " " + e3 + " " + online + " " + e4));
                    });
                });
            }));
            assertThat(answers.get(30, TimeUnit.SECONDS)).isEqualTo("0 15000 0 1 " + FloorRegistryServer.SEARCH_NAME + " 0 0 "
                    + ErrorCode.UNKNOWN_OPCODE);
            pool.close();
        } finally {
            floor.close();
            serving.join(10_000);
        }
    }

    @Test
    void theRatioTablePrintsParleyOverFloorBesideParleyOverNettyPerRoundAndTheirMedian() {
        Contender parley = contender("parley", new double[] {100, 90, 110}, 10, 200);
        Contender netty = contender("netty", new double[] {100, 100, 100}, 10, 100);
        Contender floor = contender("floor", new double[] {200, 200, 200}, 5, 100);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RatioTable.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), parley, List.of(netty, floor));
        String table = bytes.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("parley/netty").contains("parley/floor");
        String header = table.lines().filter(l -> l.contains("parley/netty")).findFirst().orElseThrow();
        assertThat(header.indexOf("parley/floor")).isGreaterThan(header.indexOf("parley/netty"));
        // Median throughput: parley/netty of 1.00, 0.90, 1.10 is 1.00; parley/floor of 0.50, 0.45, 0.55 is 0.50.
        assertThat(table).containsPattern("median\\s+throughput\\s+1\\.00x\\s+0\\.50x");
        // CPU per request: 10 µs against 10 and 5 µs.
        assertThat(table).containsPattern("median\\s+server CPU/req\\s+1\\.00x\\s+2\\.00x");
        assertThat(table.lines().filter(l -> l.matches("^[123]\\s+throughput.*"))).hasSize(3);
    }

    private static Contender contender(String label, double[] ops, double cpuMicros, long latencyMicros) {
        Contender c = new Contender(label, null, null, false);
        for (double o : ops) {
            Histogram[] kinds = new Histogram[3];
            for (int k = 0; k < 3; k++) {
                kinds[k] = new Histogram(1, Contender.HIGHEST_NANOS, 3);
                kinds[k].recordValue(latencyMicros * 1_000);
            }
            c.runs.add(kinds);
            c.roundOps.add(o);
            c.roundServerMicros.add(cpuMicros);
        }
        return c;
    }
}
