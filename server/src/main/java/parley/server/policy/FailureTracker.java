package parley.server.policy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exponential lockout per key with bounded memory. After {@code freeFailures} failures each
 * further failure locks the key for {@code base * 2^(n-1)}, capped at {@code maxDelay}. A key
 * quiet for {@code forgetAfter} is dropped. When more than {@code maxEntries} keys are tracked the
 * one whose last failure is oldest is evicted, so a flood of distinct keys costs bounded memory
 * (at the price of forgetting the oldest lockouts first).
 *
 * <p>Loop thread only; time is passed in.
 */
final class FailureTracker<K> {
    private static final class Entry {
        int failures;
        long lastFailure;
        long lockedUntil;
    }

    private final LockoutRule rule;
    private final LinkedHashMap<K, Entry> entries;

    FailureTracker(LockoutRule rule) {
        this.rule = rule;
        // Access order: a failure re-touches the entry, so the eldest is the least recently failed.
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Entry> eldest) {
                return size() > rule.maxEntries();
            }
        };
    }

    /** Nanoseconds until {@code key} may try again; 0 when it may try now. */
    long retryAfter(K key, long now) {
        Entry e = entries.get(key);
        if (e == null) {
            return 0;
        }
        if (now - e.lastFailure >= rule.forgetAfterNanos()) {
            entries.remove(key);
            return 0;
        }
        long wait = e.lockedUntil - now;
        return wait > 0 ? wait : 0;
    }

    void failure(K key, long now) {
        Entry e = entries.get(key);
        if (e == null || now - e.lastFailure >= rule.forgetAfterNanos()) {
            e = new Entry();
            entries.put(key, e);
        }
        e.failures++;
        e.lastFailure = now;
        int over = e.failures - rule.freeFailures();
        if (over > 0) {
            int shift = Math.min(over - 1, 62);
            long delay = rule.baseDelayNanos() << shift;
            if (delay <= 0 || delay > rule.maxDelayNanos() || (delay >> shift) != rule.baseDelayNanos()) {
                delay = rule.maxDelayNanos();
            }
            e.lockedUntil = now + delay;
        }
    }

    /** The lock end of {@code key} (0 when none), to undo a failure later with {@link #refund}. */
    long lockedUntil(K key) {
        Entry e = entries.get(key);
        return e == null ? 0 : e.lockedUntil;
    }

    /**
     * Takes back one failure charged in advance for an attempt that then succeeded. When nothing
     * else failed since the charge, the entry returns exactly to {@code failuresBefore} and
     * {@code lockedUntilBefore}; otherwise only the count drops, and a lock others caused stays.
     */
    void refund(K key, int failuresBefore, long lockedUntilBefore) {
        Entry e = entries.get(key);
        if (e == null || e.failures == 0) {
            return;
        }
        if (e.failures == failuresBefore + 1) {
            e.failures = failuresBefore;
            e.lockedUntil = lockedUntilBefore;
        } else {
            e.failures--;
        }
    }

    void clear(K key) {
        entries.remove(key);
    }

    int size() {
        return entries.size();
    }

    int failures(K key) {
        Entry e = entries.get(key);
        return e == null ? 0 : e.failures;
    }
}
