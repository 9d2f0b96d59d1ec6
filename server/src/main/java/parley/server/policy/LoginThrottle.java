package parley.server.policy;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;

/**
 * Throttles failed logins twice: per account key (guessing one user's password from many places)
 * and per source address (one place spraying many users). A login may proceed only when neither
 * key is locked out.
 *
 * <p>Unknown user names are tracked exactly like real ones, so a lockout answer never tells an
 * attacker whether the account exists. A success clears the account's record but not the
 * address's: otherwise an attacker holding one valid account could reset their address counter
 * between guesses at other accounts.
 *
 * <p>Loop thread only; time is passed in.
 */
public final class LoginThrottle {
    /** 5 free failures, then 1 s doubling to 15 min; forgotten after an hour; 100k names. */
    public static final LockoutRule DEFAULT_ACCOUNT_RULE = new LockoutRule(
            5, TimeUnit.SECONDS.toNanos(1), TimeUnit.MINUTES.toNanos(15), TimeUnit.HOURS.toNanos(1), 100_000);
    /** 20 free failures (NAT: many users behind one address), then 1 s doubling to 15 min. */
    public static final LockoutRule DEFAULT_ADDRESS_RULE = new LockoutRule(
            20, TimeUnit.SECONDS.toNanos(1), TimeUnit.MINUTES.toNanos(15), TimeUnit.HOURS.toNanos(1), 100_000);

    private final FailureTracker<String> accounts;
    private final FailureTracker<InetAddress> addresses;

    public LoginThrottle() {
        this(DEFAULT_ACCOUNT_RULE, DEFAULT_ADDRESS_RULE);
    }

    public LoginThrottle(LockoutRule accountRule, LockoutRule addressRule) {
        this.accounts = new FailureTracker<>(accountRule);
        this.addresses = new FailureTracker<>(addressRule);
    }

    /**
     * Nanoseconds until a login for {@code accountKey} from {@code address} may be tried; 0 means
     * now. Check before answering LOGIN_START; a positive answer is sent as THROTTLED.
     */
    public long retryAfterNanos(String accountKey, InetAddress address, long now) {
        return Math.max(accounts.retryAfter(accountKey, now), addresses.retryAfter(address, now));
    }

    public boolean allowed(String accountKey, InetAddress address, long now) {
        return retryAfterNanos(accountKey, address, now) == 0;
    }

    public void onFailure(String accountKey, InetAddress address, long now) {
        accounts.failure(accountKey, now);
        addresses.failure(address, now);
    }

    public void onSuccess(String accountKey) {
        accounts.clear(accountKey);
    }

    public int trackedAccounts() {
        return accounts.size();
    }

    public int trackedAddresses() {
        return addresses.size();
    }
}
