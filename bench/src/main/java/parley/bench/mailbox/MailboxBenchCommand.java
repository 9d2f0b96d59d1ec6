package parley.bench.mailbox;

import parley.bench.registry.ServerProcess;
import parley.core.loop.EventLoop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * `./parley bench mailbox` (issue 13): durable mailbox deposits per second through a real registry
 * process (group commit) against raw SQLite inserts of the same rows with the same durability
 * settings, and the drain of a full mailbox at login against the registry's plain request rate.
 * Each round runs every side once, in the same invocation; the per-round ratios and their medians
 * are what count on a shared, noisy machine.
 */
@Command(name = "mailbox", mixinStandardHelpOptions = true,
        description = "Mailbox deposits (group commit vs raw SQLite) and the drain at login, with same-run ratios.")
public final class MailboxBenchCommand implements Callable<Integer> {
    @Option(names = "--senders", description = "sender sessions, all contacts of one recipient (default: ${DEFAULT-VALUE})")
    int senders = 16;

    @Option(names = "--depth", description = "deposits each sender keeps in flight (default: ${DEFAULT-VALUE})")
    int depth = 16;

    @Option(names = "--messages", description = "deposits per round, then drained (default: ${DEFAULT-VALUE})")
    int messages = 10_000;

    @Option(names = "--blob", description = "sealed blob bytes per deposit (default: ${DEFAULT-VALUE})")
    int blob = 256;

    @Option(names = "--raw-single", description = "rows of the one-fsync-per-row raw baseline per round (default: ${DEFAULT-VALUE})")
    int rawSingle = 1_000;

    @Option(names = "--page", description = "MAIL_FETCH max entries (default: ${DEFAULT-VALUE})")
    int page = 256;

    @Option(names = "--plain", description = "HEARTBEATs, one at a time, for the plain request rate (default: ${DEFAULT-VALUE})")
    int plain = 10_000;

    @Option(names = "--rounds", description = "rounds (default: ${DEFAULT-VALUE})")
    int rounds = 3;

    private static final int RAW_GROUP = 256; // GroupCommitter.MAX_BATCH: the largest group the registry commits

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Path dir = Files.createTempDirectory("parley-bench-mailbox");
        out.printf(Locale.ROOT, "mailbox bench: %d senders x depth %d, %d deposits of %d bytes per round, page %d, %d rounds%n",
                senders, depth, messages, blob, page, rounds);
        out.println("host: shared 2-core VM; other processes (other builds) may run; compare ratios within a round");
        List<double[]> rows = new ArrayList<>();
        List<String> serverArgs = List.of("--rate-limit", "100000000", "--burst", "100000000",
                "--registrations-per-network", "1000000", "--registrations-per-second", "1000000",
                "--mailbox-max-count", String.valueOf(Math.max(messages, 1000)),
                "--mailbox-max-bytes", String.valueOf(Math.max((long) messages * blob, 4L << 20)));
        try (ServerProcess server = ServerProcess.start(List.of("-XX:+UseParallelGC"), serverArgs);
             EventLoop loop = new EventLoop("bench-mailbox-client").start();
             MailboxClients clients = new MailboxClients(loop, server.tcpAddress(), "mb")) {
            clients.setUp(senders);
            clients.deposit(Math.min(messages, 2_000), depth, blob); // warm-up: JIT on both sides
            clients.drain(page);
            RawInserts.run(dir, 2_000, senders, blob, RAW_GROUP);
            out.printf("%-6s %14s %14s %14s %10s %10s %14s %14s %10s %8s %8s%n", "round", "parley dep/s", "raw256 dep/s",
                    "raw1 dep/s", "p/raw256", "p/raw1", "drain msg/s", "plain req/s", "drain/req", "pages", "ack ms");
            for (int r = 1; r <= rounds; r++) {
                // Alternate which side goes first, so a burst of load from elsewhere does not
                // always land on the same one.
                double raw256 = 0;
                double raw1 = 0;
                if (r % 2 == 0) {
                    raw256 = RawInserts.run(dir, messages, senders, blob, RAW_GROUP);
                    raw1 = RawInserts.run(dir, rawSingle, senders, blob, 1);
                }
                double parley = clients.deposit(messages, depth, blob);
                double[] drained = clients.drain(page);
                if ((long) drained[0] != messages) {
                    throw new IllegalStateException("drained " + (long) drained[0] + " of " + messages);
                }
                double drainRate = drained[0] / drained[1];
                double plainRate = clients.plainRequests(plain);
                if (r % 2 == 1) {
                    raw256 = RawInserts.run(dir, messages, senders, blob, RAW_GROUP);
                    raw1 = RawInserts.run(dir, rawSingle, senders, blob, 1);
                }
                double[] row = {parley, raw256, raw1, parley / raw256, parley / raw1, drainRate, plainRate, drainRate / plainRate, drained[2],
                    drained[3] * 1e3};
                rows.add(row);
                out.printf(Locale.ROOT, "%-6d %14.0f %14.0f %14.0f %9.2fx %9.1fx %14.0f %14.0f %9.1fx %8.0f %8.1f%n", r, row[0], row[1], row[2],
                        row[3], row[4], row[5], row[6], row[7], row[8], row[9]);
            }
        }
        out.printf(Locale.ROOT, "median %14.0f %14.0f %14.0f %9.2fx %9.1fx %14.0f %14.0f %9.1fx%n", median(rows, 0), median(rows, 1),
                median(rows, 2), median(rows, 3), median(rows, 4), median(rows, 5), median(rows, 6), median(rows, 7));
        out.println("p/raw256: durable deposits/s end to end (TCP, loop, group commit) / raw JDBC inserts committed 256 at a time");
        out.println("p/raw1: the same / raw JDBC inserts committed one at a time (one fsync per deposit)");
        out.println("drain/req: messages/s delivered by MAIL_FETCH pages (then one MAIL_ACK) / HEARTBEATs/s, both one request at a time");
        return 0;
    }

    private static double median(List<double[]> rows, int col) {
        double[] v = rows.stream().mapToDouble(r -> r[col]).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
