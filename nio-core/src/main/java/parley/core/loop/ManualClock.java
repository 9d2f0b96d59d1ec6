package parley.core.loop;

import java.util.concurrent.TimeUnit;

/** A clock that only moves when told to; for deterministic tests of timers and retransmission. */
public final class ManualClock implements NanoClock {
    private volatile long now;

    public ManualClock(long startNanos) {
        this.now = startNanos;
    }

    public ManualClock() {
        this(1_000_000_000L);
    }

    @Override
    public long nanoTime() {
        return now;
    }

    public void advance(long amount, TimeUnit unit) {
        now += unit.toNanos(amount);
    }

    public void set(long nanos) {
        now = nanos;
    }
}
