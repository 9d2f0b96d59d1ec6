package parley.core.loop;

/** Source of monotonic time in nanoseconds, injectable so timer logic runs on synthetic time in tests. */
@FunctionalInterface
public interface NanoClock {
    NanoClock SYSTEM = System::nanoTime;

    long nanoTime();
}
