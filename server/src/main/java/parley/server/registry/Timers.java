package parley.server.registry;

import parley.core.loop.EventLoop;
import parley.core.loop.Timer;

/**
 * The registry's time: the loop's clock and timers. Every lease, login deadline and invitation
 * expiry goes through here, so tests run them on synthetic time (a ManualClock).
 */
interface Timers {
    long nanoTime();

    void schedule(Timer timer, long deadlineNanos);

    void cancel(Timer timer);

    /** The timers of a running event loop, on its (possibly injected) clock. */
    static Timers of(EventLoop loop) {
        return new Timers() {
            @Override
            public long nanoTime() {
                return loop.nanoTime();
            }

            @Override
            public void schedule(Timer timer, long deadlineNanos) {
                loop.schedule(timer, deadlineNanos);
            }

            @Override
            public void cancel(Timer timer) {
                loop.cancel(timer);
            }
        };
    }
}
