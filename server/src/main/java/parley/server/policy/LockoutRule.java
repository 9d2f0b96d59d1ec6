package parley.server.policy;

/**
 * Parameters of one exponential lockout.
 *
 * @param freeFailures     failures allowed before any lockout
 * @param baseDelayNanos   lockout after the first failure past the free ones; doubles with each further failure
 * @param maxDelayNanos    cap on a single lockout
 * @param forgetAfterNanos a key with no failure for this long starts again from zero
 * @param maxEntries       keys tracked at most; past it the least recently failed key is forgotten
 */
public record LockoutRule(int freeFailures, long baseDelayNanos, long maxDelayNanos,
                          long forgetAfterNanos, int maxEntries) {
    public LockoutRule {
        if (freeFailures < 0 || baseDelayNanos < 1 || maxDelayNanos < baseDelayNanos
                || forgetAfterNanos < 1 || maxEntries < 1) {
            throw new IllegalArgumentException("invalid lockout rule");
        }
    }
}
