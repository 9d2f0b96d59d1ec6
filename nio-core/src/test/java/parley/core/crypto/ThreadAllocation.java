package parley.core.crypto;

import com.sun.management.ThreadMXBean;

import java.lang.management.ManagementFactory;

/** Bytes the calling thread allocates: the crypto tests' "allocates nothing once warm" checks. */
final class ThreadAllocation {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    private ThreadAllocation() {
    }

    /** Bytes allocated by the calling thread so far. */
    static long now() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /** Runs {@code round} {@code warmUp} times, then {@code measured} times: the bytes those allocated. */
    static long ofRounds(Runnable round, int warmUp, int measured) {
        for (int i = 0; i < warmUp; i++) {
            round.run();
        }
        long before = now();
        for (int i = 0; i < measured; i++) {
            round.run();
        }
        return now() - before;
    }
}
