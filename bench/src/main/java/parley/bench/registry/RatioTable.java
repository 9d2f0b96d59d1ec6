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

    private RatioTable() {
    }

    static void print(PrintStream out, Contender parley, List<Contender> baselines) {
        if (baselines.isEmpty() || parley.runs.isEmpty()) {
            return;
        }
        StringBuilder head = new StringBuilder(String.format("%n%-10s %-16s", "round", "figure"));
        for (Contender b : baselines) {
            head.append(String.format(" %14s", "parley/" + b.label));
        }
        out.println(head);
        int rounds = parley.runs.size();
        double[][][] ratios = new double[FIGURES.length][baselines.size()][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int b = 0; b < baselines.size(); b++) {
                double[] f = figures(parley, baselines.get(b), r);
                for (int k = 0; k < FIGURES.length; k++) {
                    ratios[k][b][r] = f[k];
                }
            }
            for (int k = 0; k < FIGURES.length; k++) {
                out.println(row(Integer.toString(r + 1), FIGURES[k], ratios[k], r));
            }
        }
        for (int k = 0; k < FIGURES.length; k++) {
            StringBuilder line = new StringBuilder(String.format("%-10s %-16s", "median", FIGURES[k]));
            for (int b = 0; b < baselines.size(); b++) {
                line.append(String.format(" %13.2fx", median(ratios[k][b])));
            }
            out.println(line);
        }
    }

    /** Parley over {@code base} in round {@code r}: throughput, server CPU per request, p50, p99. */
    private static double[] figures(Contender parley, Contender base, int r) {
        if (r >= base.runs.size()) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        }
        var p = parley.round(r);
        var b = base.round(r);
        return new double[] {
            parley.roundOps.get(r) / base.roundOps.get(r),
            parley.roundServerMicros.get(r) / base.roundServerMicros.get(r),
            (double) p.getValueAtPercentile(50) / b.getValueAtPercentile(50),
            (double) p.getValueAtPercentile(99) / b.getValueAtPercentile(99),
        };
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
