package parley.bench.nat;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * `./parley bench reach`: issue 12's reachability ratios in the NAT lab ({@code tools/lab/nat.sh}),
 * with real registry and peer processes in network namespaces. Each round measures, in the same
 * lab: the RTT of a paced message load on a direct path (both behind cone NATs, punched) and on the
 * relay (the same two hosts with {@code --no-direct}); and the time from {@code /msg} to
 * {@code delivered} of the first message to a new contact behind a symmetric NAT (relay first)
 * against the same on a path that is direct from the start (both behind cone NATs with the relay
 * off: the session dials the observed endpoints directly, as before issue 12).
 * Prints per-round figures, medians and the same-run ratios.
 */
@Command(name = "reach", mixinStandardHelpOptions = true,
        description = "Relayed vs direct RTT and first-message time through real NATs in network namespaces (needs root).")
public final class ReachBenchCommand implements Callable<Integer> {
    @Option(names = "--rounds", description = "rounds of all phases (default: ${DEFAULT-VALUE})")
    int rounds = 3;

    @Option(names = "--messages", description = "measured messages per RTT phase (default: ${DEFAULT-VALUE})")
    int messages = 200;

    @Option(names = "--warmup", description = "unmeasured messages before each RTT phase (default: ${DEFAULT-VALUE})")
    int warmup = 50;

    @Option(names = "--rate", description = "paced messages per second in the RTT phases (default: ${DEFAULT-VALUE})")
    double rate = 50;

    /** Per round: RTT p50s (µs) and first-message times (ms). */
    record Round(double directStatsP50, double relayedStatsP50, double directAppP50, double relayedAppP50,
                 double firstSymmetricMs, double firstDirectMs) {
    }

    @Override
    public Integer call() throws Exception {
        if (!NatLab.isRoot()) {
            System.err.println("bench reach: needs root (it creates network namespaces and NAT routers). Run it as root,"
                    + " e.g. sudo ./parley bench reach");
            return 2;
        }
        Path data = Files.createTempDirectory("parley-bench-reach");
        List<Round> results = new ArrayList<>();
        try (NatLab lab = NatLab.up();
             LabRegistry relayOn = LabRegistry.withStats(lab, true);
             LabRegistry relayOff = LabRegistry.withStats(lab, false)) {
            System.out.printf("reach bench: NAT lab %s, %d round(s); RTT phases: %d messages at %.0f/s after %d warm-up;"
                    + " one shared host (registry, relay and all peers are processes on it)%n",
                    lab.name, rounds, messages, rate, warmup);
            for (int r = 1; r <= rounds; r++) {
                double[] direct = rttPhase(lab, relayOn, data, "d" + r, false);
                double[] relayed = rttPhase(lab, relayOn, data, "r" + r, true);
                double firstSym = firstMessage(lab, relayOn, data, "s" + r, true);
                double firstDirect = firstMessage(lab, relayOff, data, "l" + r, false);
                Round round = new Round(direct[0], relayed[0], direct[1], relayed[1], firstSym, firstDirect);
                results.add(round);
                System.out.printf("round %d: channel RTT p50 direct %.0f us, relayed %.0f us (%.2fx); /msg->delivered p50"
                                + " direct %.2f ms, relayed %.2f ms (%.2fx); first message: symmetric NAT (relayed) %.1f ms,"
                                + " direct path %.1f ms (%.2fx)%n", r, direct[0], relayed[0], relayed[0] / direct[0],
                        direct[1] / 1000, relayed[1] / 1000, relayed[1] / direct[1], firstSym, firstDirect, firstSym / firstDirect);
            }
        } finally {
            LabPeer.deleteTree(data);
        }
        summary(results);
        return 0;
    }

    private void summary(List<Round> rs) {
        double rttRatio = median(rs.stream().mapToDouble(r -> r.relayedStatsP50() / r.directStatsP50()).toArray());
        double appRatio = median(rs.stream().mapToDouble(r -> r.relayedAppP50() / r.directAppP50()).toArray());
        double firstRatio = median(rs.stream().mapToDouble(r -> r.firstSymmetricMs() / r.firstDirectMs()).toArray());
        System.out.printf("%nmedians of %d round(s):%n", rs.size());
        System.out.printf("  %-46s direct %8.0f us   relayed %8.0f us   ratio %.2fx (target <= 1.5x)%n",
                "channel RTT p50 (/stats) under paced load", median(rs.stream().mapToDouble(Round::directStatsP50).toArray()),
                median(rs.stream().mapToDouble(Round::relayedStatsP50).toArray()), rttRatio);
        System.out.printf("  %-46s direct %8.2f ms   relayed %8.2f ms   ratio %.2fx%n",
                "/msg -> delivered p50 under paced load", median(rs.stream().mapToDouble(Round::directAppP50).toArray()) / 1000,
                median(rs.stream().mapToDouble(Round::relayedAppP50).toArray()) / 1000, appRatio);
        System.out.printf("  %-46s direct %8.1f ms   symmetric %6.1f ms   ratio %.2fx (target <= 2x)%n",
                "first message /msg -> delivered", median(rs.stream().mapToDouble(Round::firstDirectMs).toArray()),
                median(rs.stream().mapToDouble(Round::firstSymmetricMs).toArray()), firstRatio);
        System.out.println("  (ratios are medians of the per-round ratios; each round's figures come from the same lab and run)");
    }

    /**
     * Two contacts on h1 and h2 behind cone NATs; with {@code relayed} both run {@code --no-direct},
     * else the test waits for their path to go direct. Then a paced load from h1; returns the
     * channel's RTT p50 from {@code /stats} (µs) and the p50 of /msg -> delivered (µs).
     */
    private double[] rttPhase(NatLab lab, LabRegistry registry, Path data, String tag, boolean relayed) throws Exception {
        lab.mode(NatLab.Router.R1, NatLab.NatType.CONE);
        lab.mode(NatLab.Router.R2, NatLab.NatType.CONE);
        List<String> flags = relayed ? List.of("--no-direct") : List.of();
        try (LabPeer a = peer(registry, lab.h1, "ra" + tag, data, flags);
             LabPeer b = peer(registry, lab.h2, "rb" + tag, data, flags)) {
            LabChat.befriend(a, b);
            LabChat.awaitDelivered(a, LabChat.send(a, b, List.of("hello")));
            LabChat.awaitPath(a, b, 0, relayed ? "relayed" : "direct");
            load(a, b, warmup);
            double app = load(a, b, messages);
            int m = a.mark();
            a.type("/stats");
            LabPeer.Event stats = a.awaitAfter(m, e -> e.is("stats"), "/stats");
            double rtt = 0;
            for (Object o : (List<?>) stats.fields().get("sessions")) {
                Map<?, ?> s = (Map<?, ?>) o;
                if (b.user.equals(s.get("user")) && s.get("rtt_p50_us") instanceof Number n) {
                    rtt = n.doubleValue();
                }
            }
            List<LabPeer.Event> paths = LabChat.paths(a, b);
            String kind = paths.get(paths.size() - 1).str("kind");
            if (!(relayed ? "relayed" : "direct").equals(kind)) {
                throw new IllegalStateException("the " + (relayed ? "relayed" : "direct") + " phase ended on a " + kind + " path");
            }
            return new double[] {rtt, app};
        }
    }

    /** {@code n} messages from a to b at {@link #rate}; the p50 of /msg -> delivered in µs. */
    private double load(LabPeer a, LabPeer b, int n) throws InterruptedException {
        long interval = (long) (1e9 / rate);
        long next = System.nanoTime();
        Map<String, Long> sentAt = new HashMap<>();
        List<String> texts = new ArrayList<>();
        int mark = a.mark();
        for (int i = 0; i < n; i++) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            next += interval;
            String text = "load-" + i + "-" + System.nanoTime();
            texts.add(text);
            sentAt.put(text, System.nanoTime());
            a.type("/msg " + b.user + " " + text);
        }
        Map<Long, String> idToText = new HashMap<>();
        for (String t : texts) {
            idToText.put(a.awaitAfter(mark, e -> e.is("sending") && t.equals(e.str("text")), "sending " + t).num("id"), t);
        }
        double[] rtt = new double[n];
        int k = 0;
        for (var e : idToText.entrySet()) {
            long id = e.getKey();
            LabPeer.Event d = a.awaitAfter(mark, x -> x.is("delivered") && x.fields().get("id") instanceof Number num
                    && num.longValue() == id, "delivered " + id);
            rtt[k++] = (d.nanos() - sentAt.get(e.getValue())) / 1000.0;
        }
        return median(rtt);
    }

    /**
     * A new pair of contacts on h1 and h2, r2 symmetric (the registry relays) or cone (the registry
     * has the relay off, so the session is direct from its first packet); the time from the first
     * /msg to its {@code delivered}, in ms.
     */
    private double firstMessage(NatLab lab, LabRegistry registry, Path data, String tag, boolean symmetric) throws Exception {
        lab.mode(NatLab.Router.R1, NatLab.NatType.CONE);
        lab.mode(NatLab.Router.R2, symmetric ? NatLab.NatType.SYMMETRIC : NatLab.NatType.CONE);
        try (LabPeer a = peer(registry, lab.h1, "fa" + tag, data, List.of());
             LabPeer b = peer(registry, lab.h2, "fb" + tag, data, List.of())) {
            LabChat.befriend(a, b);
            a.await(e -> e.is("presence") && b.user.equals(e.str("user")) && "online".equals(e.str("state")), "presence");
            int m = a.mark();
            long t0 = System.nanoTime();
            a.type("/msg " + b.user + " first");
            LabPeer.Event d = a.awaitAfter(m, e -> e.is("delivered") || e.is("failed"), "delivered");
            if (!d.is("delivered")) {
                throw new IllegalStateException("the first message failed: " + d.fields());
            }
            return (d.nanos() - t0) / 1e6;
        } finally {
            lab.mode(NatLab.Router.R2, NatLab.NatType.CONE);
        }
    }

    private static LabPeer peer(LabRegistry registry, NatLab.Host host, String user, Path data, List<String> flags)
            throws Exception {
        LabPeer p = LabPeer.start(registry, host, user, data, flags, LabPeer.BENCH_JVM);
        p.registerAndLogin("pw-" + user);
        return p;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
