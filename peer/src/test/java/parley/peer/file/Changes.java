package parley.peer.file;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A monitor that a test's listeners poke after each change they record (a chat arrived, an offer,
 * progress), so the test thread waits for a condition on it, with a deadline, instead of sleeping
 * between checks. The condition is checked under the monitor, and a change that lands between a
 * check and the wait still wakes it: {@link #changed} needs the monitor the wait gives up.
 */
final class Changes {
    synchronized void changed() {
        notifyAll();
    }

    /** True as soon as {@code condition} holds; false if it still does not after {@code seconds}. */
    synchronized boolean await(BooleanSupplier condition, long seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
