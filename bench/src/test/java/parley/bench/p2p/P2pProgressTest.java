package parley.bench.p2p;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.bench.load.LatencyRecorder;
import parley.bench.load.RunOutput;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 10: the paced runs' progress lines read "0 ops/s 0 done 0 errors" for the whole run. */
class P2pProgressTest {
    @TempDir
    Path dir;

    @Test
    void progressLinesOfAPacedRunCountTheCompletedRoundTrips() throws Exception {
        P2pBenchCommand cmd = new P2pBenchCommand();
        cmd.rate = 2_000;
        LatencyRecorder rec = new LatencyRecorder("progress-test");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            long start = System.nanoTime();
            // Every send completes at once: an echo with no delay.
            cmd.pace("test", new RunOutput(dir), rec, start, start + TimeUnit.MILLISECONDS.toNanos(2_500),
                    intended -> rec.record(intended, System.nanoTime()));
        } finally {
            System.setErr(err);
        }
        List<String> lines = Arrays.stream(captured.toString(StandardCharsets.UTF_8).split("\n"))
                .filter(l -> l.contains("ops/s")).collect(Collectors.toList());
        assertThat(lines).as("progress lines").isNotEmpty();
        assertThat(lines).allSatisfy(l -> assertThat(l).doesNotContain(" 0 ops/s").doesNotContain(" 0 done"));
    }
}
