package parley.bench.groups;

import org.HdrHistogram.Histogram;
import parley.peer.core.PeerConfig;
import parley.peer.event.AccountEvents;
import parley.peer.event.ContactEvents;
import parley.peer.event.GroupEvents;
import parley.peer.event.MessageEvents;
import parley.server.registry.RegistryConfig;
import parley.server.registry.RegistryServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ./parley bench groups}: group fan-out (issue 14) against one-to-one, in the same run, on
 * loopback, with a real registry and real peers in one process. A sender with an open session to
 * every member measures (1) a message to a group of {@code --members}, from its {@code sending}
 * to the last member's {@code delivered}, p50 and p99, against the one-to-one round trip (a
 * message's {@code sending} to its {@code delivered}) sampled alternately with it; (2) messages
 * per second it sustains to a group of {@code --small} members, against one-to-one messages per
 * second to one member. Each round prints its figures; the summary gives the medians over rounds.
 */
@Command(name = "groups", mixinStandardHelpOptions = true,
        description = "Group fan-out against one-to-one, same run: latency to the last of N members, throughput to 10.")
public final class GroupBenchCommand implements Callable<Integer> {
    @Option(names = "--members", description = "members of the big group besides the sender (a group holds 50 with it; default ${DEFAULT-VALUE})")
    int members = 49;
    @Option(names = "--small", description = "members of the throughput group besides the sender (default ${DEFAULT-VALUE})")
    int small = 10;
    @Option(names = "--samples", description = "latency samples per round, each kind (default ${DEFAULT-VALUE})")
    int samples = 40;
    @Option(names = "--messages", description = "messages per throughput run (default ${DEFAULT-VALUE})")
    int messages = 300;
    @Option(names = "--rounds", description = "rounds (default ${DEFAULT-VALUE})")
    int rounds = 3;

    private static final int TEXT_BYTES = 64;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("parley-bench-groups");
        List<BenchPeer> all = new ArrayList<>();
        RegistryServer server = null;
        try {
            parley.core.tls.ServerIdentity id = parley.core.tls.ServerIdentity.loadOrCreate(dir, "parley-bench").identity;
            RegistryConfig rc = new RegistryConfig();
            rc.tls = parley.core.tls.TlsContexts.server(id);
            // Every peer registers and logs in from loopback at once: lift the per-network limits.
            rc.registerBurstPerNetwork = 10_000;
            rc.maxOpenLoginsPerNetwork = 10_000;
            rc.maxUnauthenticatedPerAddress = 10_000;
            server = RegistryServer.start(rc, new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0),
                    dir.resolve("registry.db"));
            BenchPeer s = start("sender", server, dir, id.fingerprint(), all);
            List<BenchPeer> m = new ArrayList<>();
            for (int i = 0; i < members; i++) {
                m.add(start("member" + i, server, dir, id.fingerprint(), all));
            }
            System.out.printf("== %d peers up; befriending, opening sessions, forming #big (%d) and #small (%d)%n",
                    all.size(), members, Math.min(small, members));
            for (BenchPeer p : m) {
                s.type("/add " + p.name);
                p.await(ContactEvents.ContactRequest.class, e -> "sender".equals(e.from()));
                p.type("/accept sender");
                s.await(ContactEvents.Contact.class, e -> p.name.equals(e.user()) && "accepted".equals(e.change()));
                s.type("/msg " + p.name + " hello");
                s.await(MessageEvents.Delivered.class, e -> p.name.equals(e.to()));
            }
            form(s, "big", m);
            form(s, "small", m.subList(0, Math.min(small, members)));
            double[][] perRound = new double[rounds][];
            for (int r = 0; r < rounds; r++) {
                perRound[r] = round(r + 1, s, m.get(0), Math.min(small, members));
            }
            summary(perRound);
            return 0;
        } finally {
            for (BenchPeer p : all) {
                p.close();
            }
            if (server != null) {
                server.close();
            }
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static BenchPeer start(String name, RegistryServer server, Path dir, String fingerprint, List<BenchPeer> all)
            throws Exception {
        PeerConfig c = new PeerConfig();
        c.name = name;
        c.server = server.tcpAddress();
        c.registryUdpPort = server.udpAddress().getPort();
        c.dataDir = dir.resolve(name);
        c.serverFingerprint = fingerprint;
        c.scramIterations = parley.server.auth.ScramCredentials.MIN_ITERATIONS;
        c.maxSessions = 128;
        BenchPeer p = new BenchPeer(name, c);
        all.add(p);
        p.type("/register " + name + " pw-" + name);
        p.await(AccountEvents.Registered.class, e -> true);
        p.type("/login " + name + " pw-" + name);
        p.await(AccountEvents.LoggedIn.class, e -> true);
        return p;
    }

    private static void form(BenchPeer s, String group, List<BenchPeer> members) {
        s.type("/group create #" + group);
        s.await(GroupEvents.Group.class, e -> group.equals(e.group()) && "created".equals(e.change()));
        for (BenchPeer p : members) {
            s.type("/group invite #" + group + " " + p.name);
            p.await(GroupEvents.GroupInvite.class, e -> group.equals(e.group()));
            p.type("/accept #" + group);
            p.await(GroupEvents.Group.class, e -> group.equals(e.group()) && "joined".equals(e.change()));
            s.await(GroupEvents.Group.class, e -> group.equals(e.group()) && "member_joined".equals(e.change())
                    && p.name.equals(e.user()));
        }
    }

    private static String text(String tag, int i) {
        String t = tag + "-" + i + "-";
        return t + "x".repeat(Math.max(0, TEXT_BYTES - t.length()));
    }

    /** One round: {group p50, group p99, 1:1 p50, 1:1 p99 (µs), group msgs/s, 1:1 msgs/s}. */
    private double[] round(int r, BenchPeer s, BenchPeer one, int smallSize) {
        Histogram group = new Histogram(3);
        Histogram direct = new Histogram(3);
        for (int k = 0; k < samples; k++) {
            s.mark();
            String t = text("r" + r + "d", k);
            s.type("/msg " + one.name + " " + t);
            BenchPeer.Timed sent = s.await(MessageEvents.Sending.class, e -> t.equals(e.text()));
            long sid = ((MessageEvents.Sending) sent.event()).id();
            BenchPeer.Timed got = s.await(MessageEvents.Delivered.class, e -> e.id() == sid);
            direct.recordValue(Math.max(1, (got.at() - sent.at()) / 1000));

            s.mark();
            String g = text("r" + r + "g", k);
            s.type("/msg #big " + g);
            BenchPeer.Timed gs = s.await(GroupEvents.GroupSending.class, e -> g.equals(e.text()));
            long gid = ((GroupEvents.GroupSending) gs.event()).id();
            int copies = ((GroupEvents.GroupSending) gs.event()).members();
            List<BenchPeer.Timed> all = s.awaitCount(GroupEvents.GroupDelivered.class, e -> e.id() == gid, copies);
            group.recordValue(Math.max(1, (all.get(all.size() - 1).at() - gs.at()) / 1000));
        }
        double groupRate = throughput(s, "#small", smallSize, r);
        double directRate = throughput(s, one.name, 1, r);
        double[] out = {group.getValueAtPercentile(50), group.getValueAtPercentile(99), direct.getValueAtPercentile(50),
                direct.getValueAtPercentile(99), groupRate, directRate};
        System.out.printf("round %d: to the last of %d members p50 %,.0f us p99 %,.0f us | 1:1 p50 %,.0f us p99 %,.0f us"
                        + " | ratio p50 %.1fx p99 %.1fx%n", r, members, out[0], out[1], out[2], out[3], out[0] / out[2], out[1] / out[3]);
        System.out.printf("round %d: to %d members %,.0f msgs/s (%,.0f copies/s) | 1:1 %,.0f msgs/s | ratio %.2fx%n",
                r, smallSize, groupRate, groupRate * smallSize, directRate, groupRate / directRate);
        return out;
    }

    /** {@code messages} sent back to back to {@code to}; messages per second until the last copy is delivered. */
    private double throughput(BenchPeer s, String to, int copiesEach, int r) {
        s.mark();
        String tag = "r" + r + (to.startsWith("#") ? "G" : "D");
        for (int i = 0; i < messages; i++) {
            s.type("/msg " + to + " " + text(tag, i));
        }
        String first = text(tag, 0);
        BenchPeer.Timed start = to.startsWith("#")
                ? s.await(GroupEvents.GroupSending.class, e -> first.equals(e.text()))
                : s.await(MessageEvents.Sending.class, e -> first.equals(e.text()));
        List<BenchPeer.Timed> done = to.startsWith("#")
                ? s.awaitCount(GroupEvents.GroupDelivered.class, e -> "small".equals(e.group()), messages * copiesEach)
                : s.awaitCount(MessageEvents.Delivered.class, e -> true, messages);
        long nanos = done.get(done.size() - 1).at() - start.at();
        return messages * 1e9 / nanos;
    }

    private void summary(double[][] rounds) {
        System.out.printf("%n== medians over %d rounds (%d samples each, %d messages per throughput run, %d-byte texts)%n",
                rounds.length, samples, messages, TEXT_BYTES);
        System.out.printf("group of %d, send to last delivery: p50 %,.0f us, p99 %,.0f us; 1:1 RTT p50 %,.0f us, p99 %,.0f us;"
                        + " ratio p50 %.1fx, p99 %.1fx%n", members, median(rounds, 0), median(rounds, 1), median(rounds, 2),
                median(rounds, 3), median(rounds, 0) / median(rounds, 2), median(rounds, 1) / median(rounds, 3));
        System.out.printf("group of %d: %,.0f msgs/s; 1:1: %,.0f msgs/s; ratio %.2fx (per-round ratios' median %.2fx)%n",
                small, median(rounds, 4), median(rounds, 5), median(rounds, 4) / median(rounds, 5), medianRatio(rounds, 4, 5));
    }

    private static double median(double[][] rounds, int col) {
        double[] v = Arrays.stream(rounds).mapToDouble(x -> x[col]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double medianRatio(double[][] rounds, int a, int b) {
        double[][] ratios = Arrays.stream(rounds).map(x -> new double[] {x[a] / x[b]}).toArray(double[][]::new);
        return median(ratios, 0);
    }
}
