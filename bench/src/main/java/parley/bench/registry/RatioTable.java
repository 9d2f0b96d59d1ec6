package parley.bench.registry;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The figures issue 11 asks of the registry, Parley against each baseline of the same invocation
 * (Parley/Netty and Parley/floor side by side): throughput, server CPU per request, and p50/p99
 * latency, each round on its own line and then the median of the rounds, which one disturbed round
 * on a shared machine does not move.
 */
final class RatioTable {
    private static final String[] FIGURES = {"throughput", "server CPU/req", "p50", "p99"};
    private static final String SERVICES_FIGURE = "+pg,redis CPU";

    private RatioTable() {
    }

    static void print(PrintStream out, Contender parley, List<Contender> baselines) {
        List<Contender[]> pairs = new ArrayList<>();
        List<String> headers = new ArrayList<>();
        for (Contender b : baselines) {
            pairs.add(new Contender[] {parley, b});
            headers.add("parley/" + b.label);
        }
        print(out, pairs, headers, false);
    }

    /**
     * One column per pair, {@code pair[0]} over {@code pair[1]}, headed by {@code headers}. With
     * {@code withServices} a fifth figure counts, besides the registry processes, the CPU of the
     * PostgreSQL and Redis behind them (cluster mode: what the operator's machines pay in all).
     */
    static void print(PrintStream out, List<Contender[]> pairs, List<String> headers, boolean withServices) {
        if (pairs.isEmpty() || pairs.get(0)[0].runs.isEmpty()) {
            return;
        }
        int figures = withServices ? FIGURES.length + 1 : FIGURES.length;
        StringBuilder head = new StringBuilder(String.format("%n%-10s %-16s", "round", "figure"));
        for (String h : headers) {
            head.append(String.format(" %14s", h));
        }
        out.println(head);
        int rounds = pairs.get(0)[0].runs.size();
        double[][][] ratios = new double[figures][pairs.size()][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int b = 0; b < pairs.size(); b++) {
                double[] f = figures(pairs.get(b)[0], pairs.get(b)[1], r);
                for (int k = 0; k < figures; k++) {
                    ratios[k][b][r] = f[k];
                }
            }
            for (int k = 0; k < figures; k++) {
                out.println(row(Integer.toString(r + 1), name(k), ratios[k], r));
            }
        }
        for (int k = 0; k < figures; k++) {
            StringBuilder line = new StringBuilder(String.format("%-10s %-16s", "median", name(k)));
            for (int b = 0; b < pairs.size(); b++) {
                line.append(String.format(" %13.2fx", median(ratios[k][b])));
            }
            out.println(line);
        }
    }

    private static String name(int figure) {
        return figure < FIGURES.length ? FIGURES[figure] : SERVICES_FIGURE;
    }

    /** {@code a} over {@code base} in round {@code r}: throughput, server CPU per request, p50, p99, CPU with services. */
    private static double[] figures(Contender a, Contender base, int r) {
        if (r >= base.runs.size() || r >= a.runs.size()) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        }
        var p = a.round(r);
        var b = base.round(r);
        return new double[] {
            a.roundOps.get(r) / base.roundOps.get(r),
            a.roundServerMicros.get(r) / base.roundServerMicros.get(r),
            (double) p.getValueAtPercentile(50) / b.getValueAtPercentile(50),
            (double) p.getValueAtPercentile(99) / b.getValueAtPercentile(99),
            withServices(a, r) / withServices(base, r),
        };
    }

    /** Server CPU per request in round {@code r} plus, in cluster mode, PostgreSQL's and Redis's. */
    static double withServices(Contender c, int r) {
        double services = r < c.roundServicesMicros.size() ? c.roundServicesMicros.get(r) : 0;
        return c.roundServerMicros.get(r) + services;
    }

    private static String row(String round, String figure, double[][] perBaseline, int r) {
        StringBuilder line = new StringBuilder(String.format("%-10s %-16s", round, figure));
        for (double[] rounds : perBaseline) {
            line.append(String.format(" %13.2fx", rounds[r]));
        }
        return line.toString();
    }

    static double median(double[] values) {
        List<Double> known = new ArrayList<>();
        for (double v : values) {
            if (!Double.isNaN(v)) {
                known.add(v);
            }
        }
        if (known.isEmpty()) {
            return Double.NaN;
        }
        double[] s = known.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }
}
