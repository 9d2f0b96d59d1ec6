package parley.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import parley.core.loop.EventLoop;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cross-thread tasks into the loop: the benchmark thread submits a preallocated task through the
 * MPSC queue; the loop runs it. Every 1024 submissions it waits until the loop has caught up, so
 * the figure is tasks the loop actually ran, and the wake-up count shows the selector is woken
 * far less than once per task.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LoopTaskBenchmark {
    private EventLoop loop;
    private final AtomicLong ran = new AtomicLong();
    private final Runnable task = ran::incrementAndGet;
    private long submitted;

    @Setup(Level.Trial)
    public void start() {
        loop = new EventLoop("bench-loop").start();
    }

    @TearDown(Level.Trial)
    public void stop() {
        System.out.printf("%nselector wake-ups: %,d for %,d tasks%n", loop.wakeupsRequested(), submitted);
        loop.close();
    }

    @Benchmark
    public long submit() {
        loop.execute(task);
        if ((++submitted & 1023) == 0) {
            while (ran.get() < submitted - 4096) {
                Thread.onSpinWait(); // bounded: the loop is running these very tasks
            }
        }
        return submitted;
    }
}
