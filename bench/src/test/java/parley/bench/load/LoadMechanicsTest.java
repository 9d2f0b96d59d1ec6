package parley.bench.load;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The load tool's mechanics on synthetic time: pacing, coordinated-omission correction, files. */
class LoadMechanicsTest {
    @Test
    void pacingHandsOutRequestsAtExactIntendedTimesAndCatchesUpWithoutDrift() {
        OpenLoopPacer pacer = new OpenLoopPacer(1_000, 1_000); // 1,000/s: one per millisecond
        assertThat(pacer.intendedTime(0)).isEqualTo(1_000);
        assertThat(pacer.intendedTime(1_000_000)).isEqualTo(1_000 + 1_000_000L * 1_000_000);
        assertThat(pacer.takeIfDue(999)).isEqualTo(-1);
        assertThat(pacer.takeIfDue(1_000)).isEqualTo(1_000);
        assertThat(pacer.takeIfDue(1_000)).isEqualTo(-1);
        assertThat(pacer.nanosUntilNext(1_000)).isEqualTo(1_000_000);
        // A caller that wakes 5 ms late gets the 5 missed requests at once, each with its own time.
        long late = 1_000 + 6_000_000;
        for (int i = 1; i <= 6; i++) {
            assertThat(pacer.takeIfDue(late)).isEqualTo(1_000 + i * 1_000_000L);
        }
        assertThat(pacer.takeIfDue(late)).isEqualTo(-1);
    }

    @Test
    void theDueCountAgreesWithTheIntendedTimesAtEveryEdge() {
        // 3 per microsecond is an interval of 333.33 ns: the truncated intended times are where
        // an off-by-one would hide.
        OpenLoopPacer pacer = new OpenLoopPacer(7, 3e6);
        assertThat(pacer.dueBy(6)).isZero();
        for (long i = 0; i < 10_000; i++) {
            long t = pacer.intendedTime(i);
            assertThat(pacer.dueBy(t)).as("due at request %d's time", i).isEqualTo(i + 1);
            assertThat(pacer.dueBy(t - 1)).as("due just before request %d", i).isLessThanOrEqualTo(i);
        }
    }

    @Test
    void aStallIsRecordedInFullBecauseLatencyIsMeasuredFromTheIntendedTime() {
        // Synthetic run: 1,000 req/s for 10 s, service time 100 µs, but the server stalls for 1 s
        // at t = 5 s. Requests due during the stall are sent late and answered after it.
        OpenLoopPacer pacer = new OpenLoopPacer(0, 1_000);
        LatencyRecorder corrected = new LatencyRecorder("corrected");
        LatencyRecorder naive = new LatencyRecorder("naive");
        long stallFrom = 5_000_000_000L;
        long stallUntil = 6_000_000_000L;
        long now = 0;
        long serverFree = 0;
        while (now < 10_000_000_000L) {
            long intended = pacer.takeIfDue(now);
            if (intended < 0) {
                now = pacer.intendedTime(pacer.next());
                continue;
            }
            long start = Math.max(now, serverFree);
            if (start >= stallFrom && start < stallUntil) {
                start = stallUntil;
            }
            long done = start + 100_000;
            serverFree = done;
            corrected.record(intended, done);
            naive.record(start, done); // what a closed-loop tool that times from its send would see
        }
        Histogram c = corrected.total();
        Histogram n = naive.total();
        assertThat(c.getTotalCount()).isEqualTo(10_000);
        // 10% of requests fell in the stall: the 95th percentile is half a second, max a full second.
        assertThat(c.getValueAtPercentile(95)).isGreaterThan(400_000_000L);
        assertThat(c.getMaxValue()).isGreaterThan(990_000_000L);
        assertThat(n.getValueAtPercentile(99.99)).as("the naive view hides the stall").isLessThan(200_000L);
    }

    @Test
    void histogramFilesAreWrittenAndReadBack(@TempDir Path dir) throws Exception {
        LatencyRecorder rec = new LatencyRecorder("op");
        try (RunOutput out = new RunOutput(dir)) {
            out.track(rec, 1_700_000_000_000L);
            for (int i = 1; i <= 1000; i++) {
                rec.recordValue(i * 1_000L);
            }
            out.logIntervals(1_700_000_001_000L);
            for (int i = 1; i <= 500; i++) {
                rec.recordValue(2_000_000L);
            }
            out.logIntervals(1_700_000_002_000L);
            Histogram total = rec.total();
            Path hgrm = out.writeHgrm("op", total);
            Histogram fromLog = RunOutput.readHlog(dir.resolve("op.hlog"));
            assertThat(fromLog.getTotalCount()).isEqualTo(1500);
            assertThat(fromLog.getMaxValue()).isEqualTo(total.getMaxValue());
            Series s = Series.readHgrm(hgrm);
            assertThat(s.points).isNotEmpty();
            assertThat(s.valueAt(50)).isBetween(700.0, 800.0); // µs
            assertThat(s.valueAt(100)).isBetween(1990.0, 2010.0);
            Path png = dir.resolve("chart.png");
            HistogramChart.write("test", List.of(s, Series.of("again", fromLog)), png);
            BufferedImage img = ImageIO.read(png.toFile());
            assertThat(img.getWidth()).isEqualTo(1000);
            assertThat(img.getHeight()).isEqualTo(600);
            assertThat(Files.size(png)).isPositive();
        }
    }
}
