package parley.server.registry;

/**
 * Whether one more pending contact request from {@code from} to {@code to} fits. Each user may
 * have {@link RegistryConfig#maxPendingRequests} outgoing and as many incoming; of the incoming,
 * at most {@link RegistryConfig#maxPendingFromYoungAccounts} may come from accounts younger than
 * {@link RegistryConfig#youngAccountMillis}. Fresh accounts cost an attacker little, so without
 * that second quota a batch of them could fill a user's inbox and turn a real friend's request
 * (from an older account) away; with it they fill only the small young share.
 */
final class RequestQuota {
    private RequestQuota() {
    }

    /** Null when the request fits, else the reason it does not (answered TOO_MANY_PENDING). */
    static String refusal(Account from, Account to, RegistryConfig config) {
        if (from.outgoingCount() >= config.maxPendingRequests || to.incomingCount() >= config.maxPendingRequests) {
            return "too many pending contact requests";
        }
        long now = config.wallClockMillis.getAsLong();
        if (isYoung(from, now, config) && youngIncoming(to, now, config) >= config.maxPendingFromYoungAccounts) {
            return "too many pending contact requests from new accounts; try again when your account is a day old";
        }
        return null;
    }

    static boolean isYoung(Account a, long nowMillis, RegistryConfig config) {
        return nowMillis - a.createdAtMillis < config.youngAccountMillis;
    }

    private static int youngIncoming(Account to, long nowMillis, RegistryConfig config) {
        int n = 0;
        for (Account a : to.incoming()) {
            n += isYoung(a, nowMillis, config) ? 1 : 0;
        }
        return n;
    }
}
