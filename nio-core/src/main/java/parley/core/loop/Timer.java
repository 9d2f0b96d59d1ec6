package parley.core.loop;

/**
 * A reusable timer owned by its user and kept intrusively in a {@link TimerQueue}: scheduling,
 * rescheduling and cancelling allocate nothing, which matters for per-packet retransmission and
 * per-session lease timers.
 */
public final class Timer {
    final Task task;
    long deadline;
    int index = -1;

    @FunctionalInterface
    public interface Task {
        void onTimer(long nowNanos);
    }

    public Timer(Task task) {
        this.task = task;
    }

    public boolean isScheduled() {
        return index >= 0;
    }

    public long deadline() {
        return deadline;
    }
}
