package parley.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A latency distribution as (percentile, microseconds) points: what the chart draws and what a
 * .hgrm file holds. Built from a histogram, or read back from an .hgrm file.
 */
public final class Series {
    public final String name;
    public final List<double[]> points;

    public Series(String name, List<double[]> points) {
        this.name = name;
        this.points = points;
    }

    /** Points at HdrHistogram's usual percentile ticks (5 per halving), values in microseconds. */
    public static Series of(String name, Histogram h) {
        List<double[]> pts = new ArrayList<>();
        for (HistogramIterationValue v : h.percentiles(5)) {
            pts.add(new double[] {v.getPercentileLevelIteratedTo(), v.getValueIteratedTo() / 1000.0});
        }
        return new Series(name, pts);
    }

    /** Reads the "Value Percentile TotalCount 1/(1-Percentile)" rows of an .hgrm file. */
    public static Series readHgrm(Path file) throws IOException {
        List<double[]> pts = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith("Value")) {
                continue;
            }
            String[] f = t.split("\\s+");
            if (f.length < 3) {
                continue;
            }
            try {
                pts.add(new double[] {Double.parseDouble(f[1]) * 100.0, Double.parseDouble(f[0])});
            } catch (NumberFormatException e) {
                // a header or footer line: not a data row
            }
        }
        String name = file.getFileName().toString().replaceFirst("\\.hgrm$", "");
        return new Series(name, pts);
    }

    /** The microsecond value at or just above {@code percentile}, for tables built from files. */
    public double valueAt(double percentile) {
        double last = 0;
        for (double[] p : points) {
            last = p[1];
            if (p[0] >= percentile) {
                return p[1];
            }
        }
        return last;
    }
}
