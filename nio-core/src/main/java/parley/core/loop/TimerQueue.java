package parley.core.loop;

import java.util.Arrays;

/**
 * Binary min-heap of {@link Timer}s by deadline. Each timer knows its slot, so cancel and
 * reschedule are O(log n) with no search and no allocation; the heap array only grows.
 * Ties fire in no particular order. Not thread-safe: it belongs to one loop.
 */
public final class TimerQueue {
    public static final long NONE = Long.MAX_VALUE;

    private Timer[] heap = new Timer[64];
    private int size;

    public int size() {
        return size;
    }

    /** Schedules, or moves if already scheduled, {@code timer} to fire at {@code deadline}. */
    public void schedule(Timer timer, long deadline) {
        if (timer.index >= 0) {
            long old = timer.deadline;
            timer.deadline = deadline;
            if (deadline < old) {
                siftUp(timer.index);
            } else {
                siftDown(timer.index);
            }
            return;
        }
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        timer.deadline = deadline;
        timer.index = size;
        heap[size++] = timer;
        siftUp(timer.index);
    }

    public boolean cancel(Timer timer) {
        int i = timer.index;
        if (i < 0) {
            return false;
        }
        timer.index = -1;
        Timer last = heap[--size];
        heap[size] = null;
        if (i != size) {
            heap[i] = last;
            last.index = i;
            siftDown(i);
            siftUp(last.index);
        }
        return true;
    }

    /** Earliest deadline, or {@link #NONE}. */
    public long nextDeadline() {
        return size == 0 ? NONE : heap[0].deadline;
    }

    /**
     * The select timeout for {@code deadline} (a {@link #nextDeadline()}) at {@code now}: 0 when
     * there is none (select(0) blocks until a key is ready or a wakeup), else the milliseconds to it,
     * at least 1 and rounded up: waking a little late is harmless, waking early spins.
     */
    static long selectTimeoutMs(long deadline, long now) {
        return deadline == NONE ? 0 : Math.max(1, (deadline - now + 999_999) / 1_000_000);
    }

    /**
     * Fires every timer whose deadline is at or before {@code now}, earliest first, and returns
     * how many fired. A timer rescheduled by its own task for a time not after {@code now} fires
     * again in this call only up to {@code limit} total, so a buggy task cannot pin the loop.
     */
    public int expire(long now, int limit) {
        return expire(now, limit, null);
    }

    /**
     * As {@link #expire(long, int)}, but a task that throws does not stop the others: its
     * exception goes to {@code onFailure} and the next due timer fires. A
     * {@link VirtualMachineError} (out of memory, stack overflow) is never swallowed, since the
     * process state can no longer be trusted after one. With a null {@code onFailure} every
     * exception propagates.
     */
    public int expire(long now, int limit, java.util.function.Consumer<Throwable> onFailure) {
        int fired = 0;
        while (size > 0 && heap[0].deadline <= now && fired < limit) {
            Timer t = heap[0];
            cancel(t);
            fired++;
            if (onFailure == null) {
                t.task.onTimer(now);
                continue;
            }
            try {
                t.task.onTimer(now);
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (Throwable e) {
                onFailure.accept(e);
            }
        }
        return fired;
    }

    private void siftUp(int i) {
        Timer t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Timer p = heap[parent];
            if (p.deadline <= t.deadline) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = t;
        t.index = i;
    }

    private void siftDown(int i) {
        Timer t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && heap[right].deadline < heap[child].deadline) {
                child = right;
            }
            if (t.deadline <= heap[child].deadline) {
                break;
            }
            heap[i] = heap[child];
            heap[i].index = i;
            i = child;
        }
        heap[i] = t;
        t.index = i;
    }
}
