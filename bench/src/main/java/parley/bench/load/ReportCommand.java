package parley.bench.load;

import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * `./parley bench report <files...>`: prints the percentiles of several runs side by side and
 * overlays them in one chart, so two versions or two settings can be compared in one picture.
 * Takes .hlog interval logs (summed over the run) and .hgrm percentile files.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Compare runs: a percentile table and one overlaid chart from .hgrm/.hlog files.")
public final class ReportCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", description = ".hgrm or .hlog files")
    List<Path> files;

    @Option(names = "--out", description = "chart to write (default: ${DEFAULT-VALUE})")
    Path out = Path.of("bench-results", "report.png");

    @Option(names = "--title", description = "chart title (default: ${DEFAULT-VALUE})")
    String title = "latency by percentile";

    @Override
    public Integer call() throws Exception {
        List<Series> series = new ArrayList<>();
        System.out.printf("%-36s %10s %10s %10s %10s %10s %10s%n", "run (µs)", "p50", "p90", "p99", "p99.9", "p99.99", "max");
        for (Path f : files) {
            Series s;
            if (f.toString().endsWith(".hlog")) {
                Histogram h = RunOutput.readHlog(f);
                s = Series.of(f.getFileName().toString().replaceFirst("\\.hlog$", ""), h);
            } else {
                s = Series.readHgrm(f);
            }
            series.add(s);
            System.out.printf("%-36s %10.1f %10.1f %10.1f %10.1f %10.1f %10.1f%n", s.name, s.valueAt(50), s.valueAt(90),
                    s.valueAt(99), s.valueAt(99.9), s.valueAt(99.99), s.valueAt(100));
        }
        if (out.getParent() != null) {
            java.nio.file.Files.createDirectories(out.getParent());
        }
        HistogramChart.write(title, series, out);
        System.out.println("chart: " + out.toAbsolutePath());
        return 0;
    }
}
