package parley.bench.mailbox;

import parley.bench.registry.ServerProcess;
import parley.core.loop.EventLoop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * `./parley bench store --store postgresql://...` (issue 16): the cost of the shared durable
 * store. One registry process on the embedded SQLite file and one on the PostgreSQL database
 * given, both running in the same invocation; each round measures on both, in alternating order,
 * durable mail deposits per second (the group commit's write path), the drain of the deposited
 * mail (its read path) and plain HEARTBEATs (no storage at all: the control, which should not
 * differ). The per-round ratios and their medians are what count on a shared, noisy machine.
 *
 * <p>The registry's own bench (`bench registry`) does not take a store: its request mix
 * (heartbeat, lookup, who) is served from memory and never reaches storage, so it would measure
 * the same thing twice.
 */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = "The same registry on SQLite and on PostgreSQL in one run: deposits, drain, plain requests, ratios.")
public final class StoreBenchCommand implements Callable<Integer> {
    @Option(names = "--store", required = true, paramLabel = "URI",
            description = "the PostgreSQL database of the second registry: postgresql://user@host:port/db")
    String store;

    @Option(names = "--senders", description = "sender sessions (default: ${DEFAULT-VALUE})")
    int senders = 16;

    @Option(names = "--depth", description = "deposits each sender keeps in flight (default: ${DEFAULT-VALUE})")
    int depth = 16;

    @Option(names = "--messages", description = "deposits per round and side, then drained (default: ${DEFAULT-VALUE})")
    int messages = 5_000;

    @Option(names = "--blob", description = "sealed blob bytes per deposit (default: ${DEFAULT-VALUE})")
    int blob = 256;

    @Option(names = "--plain", description = "HEARTBEATs, one at a time, per round and side (default: ${DEFAULT-VALUE})")
    int plain = 5_000;

    @Option(names = "--rounds", description = "rounds (default: ${DEFAULT-VALUE})")
    int rounds = 5;

    private static final int PAGE = 256;
    private static final int WARMUP_MESSAGES = 2_000;

    /** One registry under test and its clients. */
    private static final class Side {
        final String name;
        final ServerProcess server;
        final MailboxClients clients;

        Side(String name, ServerProcess server, EventLoop loop, String tag) {
            this.name = name;
            this.server = server;
            this.clients = new MailboxClients(loop, server.tcpAddress(), tag);
        }

        /** {deposits/s, drained msg/s, plain req/s}. */
        double[] round(int messages, int depth, int blob, int plain) throws Exception {
            double deposits = clients.deposit(messages, depth, blob);
            double[] drained = clients.drain(PAGE);
            if ((long) drained[0] != messages) {
                throw new IllegalStateException(name + ": drained " + (long) drained[0] + " of " + messages);
            }
            return new double[] {deposits, drained[0] / drained[1], clients.plainRequests(plain)};
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "store bench: %d senders x depth %d, %d deposits of %d bytes per round and side, %d rounds%n",
                senders, depth, messages, blob, rounds);
        out.println("host: shared 2-core VM; the database server runs on the same host; compare ratios within a round");
        // A long session timeout: the clients of one side sit idle while the other side is measured.
        List<String> common = List.of("--session-timeout", "3600", "--rate-limit", "100000000", "--burst", "100000000",
                "--registrations-per-network", "1000000", "--registrations-per-second", "1000000",
                "--mailbox-max-count", String.valueOf(Math.max(messages, 1000)),
                "--mailbox-max-bytes", String.valueOf(Math.max((long) messages * blob, 4L << 20)));
        List<String> pgArgs = new ArrayList<>(common);
        pgArgs.addAll(List.of("--store", store));
        List<double[]> rows = new ArrayList<>();
        try (ServerProcess sqliteServer = ServerProcess.start(List.of("-XX:+UseParallelGC"), common);
             ServerProcess pgServer = ServerProcess.start(List.of("-XX:+UseParallelGC"), pgArgs);
             EventLoop loop = new EventLoop("bench-store-client").start()) {
            Side sqlite = new Side("sqlite", sqliteServer, loop, "sq");
            Side pg = new Side("postgresql", pgServer, loop, "pg" + Long.toString(System.nanoTime() % 100_000, 36));
            try {
                for (Side s : List.of(sqlite, pg)) {
                    s.clients.setUp(senders);
                    s.clients.deposit(WARMUP_MESSAGES, depth, blob); // warm-up: JIT on both sides
                    s.clients.drain(PAGE);
                }
                out.printf("%-6s %12s %12s %9s %12s %12s %9s %12s %12s %9s%n", "round", "sq dep/s", "pg dep/s", "pg/sq",
                        "sq drain/s", "pg drain/s", "pg/sq", "sq req/s", "pg req/s", "pg/sq");
                for (int r = 1; r <= rounds; r++) {
                    // Alternate which side goes first, so load from elsewhere does not always land on one.
                    double[] a;
                    double[] b;
                    if (r % 2 == 1) {
                        a = sqlite.round(messages, depth, blob, plain);
                        b = pg.round(messages, depth, blob, plain);
                    } else {
                        b = pg.round(messages, depth, blob, plain);
                        a = sqlite.round(messages, depth, blob, plain);
                    }
                    double[] row = {a[0], b[0], b[0] / a[0], a[1], b[1], b[1] / a[1], a[2], b[2], b[2] / a[2]};
                    rows.add(row);
                    out.printf(Locale.ROOT, "%-6d %12.0f %12.0f %8.2fx %12.0f %12.0f %8.2fx %12.0f %12.0f %8.2fx%n", r,
                            row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8]);
                }
            } finally {
                sqlite.clients.close();
                pg.clients.close();
            }
        }
        out.printf(Locale.ROOT, "median %12.0f %12.0f %8.2fx %12.0f %12.0f %8.2fx %12.0f %12.0f %8.2fx%n", median(rows, 0),
                median(rows, 1), median(rows, 2), median(rows, 3), median(rows, 4), median(rows, 5), median(rows, 6),
                median(rows, 7), median(rows, 8));
        out.println("dep/s: durable MAIL_DEPOSITs acknowledged per second, end to end (TCP, loop, group commit, COMMIT)");
        out.println("drain/s: messages per second delivered by MAIL_FETCH pages, then one MAIL_ACK");
        out.println("req/s: HEARTBEATs, one at a time: no storage, the control");
        return 0;
    }

    private static double median(List<double[]> rows, int col) {
        double[] v = rows.stream().mapToDouble(r -> r[col]).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
