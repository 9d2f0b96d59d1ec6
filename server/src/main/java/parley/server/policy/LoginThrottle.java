package parley.server.policy;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Throttles logins. The whole policy, which docs/PROTOCOL.md section 7.6 states in words:
 *
 * <ul>
 *   <li>Failures are counted under three keys: the pair (name, source network), the source network
 *       ({@link AddressPrefix}: one place spraying many names), and the name alone (one name guessed
 *       from many networks). Each has an exponential lockout ({@link LockoutRule}).</li>
 *   <li>The name-alone lockout does not apply from a network the account has logged in from
 *       before ({@link KnownPrefixes}): strangers can lock a name against strangers, not against
 *       its owner at home. The pair lockout is what a stranger can impose, and only on their own
 *       network.</li>
 *   <li>A started attempt holds a slot: one per pair and {@code maxPerNetwork} per network. A
 *       LOGIN_START beyond them is refused, so opening many connections buys no parallel guesses.</li>
 *   <li>A started attempt counts as a failure unless it succeeds: one abandoned (connection closed,
 *       a new LOGIN_START on the same session) or not finished within {@code attemptTimeout} is
 *       charged as a failure.</li>
 *   <li>LOGIN_FINISH checks the lockouts again, and charges the failure before the proof is
 *       checked; a success takes the charge back. So the attempt that reaches a limit is the last
 *       one evaluated, however many were pipelined behind it.</li>
 *   <li>Unknown names are treated exactly like real ones, so an answer never tells whether the
 *       account exists. A success clears the pair's record but not the network's: otherwise
 *       an attacker holding one account could reset their network's count between guesses.</li>
 * </ul>
 *
 * <p>Loop thread only; time is passed in (the loop's injectable clock).
 */
public final class LoginThrottle {
    /** Per (name, network): 5 free failures, then 1 s doubling to 15 min; forgotten after an hour. */
    public static final LockoutRule DEFAULT_PAIR_RULE = new LockoutRule(
            5, TimeUnit.SECONDS.toNanos(1), TimeUnit.MINUTES.toNanos(15), TimeUnit.HOURS.toNanos(1), 100_000);
    /** Per network: 20 free failures (NAT: many users behind one network), then the same schedule. */
    public static final LockoutRule DEFAULT_NETWORK_RULE = new LockoutRule(
            20, TimeUnit.SECONDS.toNanos(1), TimeUnit.MINUTES.toNanos(15), TimeUnit.HOURS.toNanos(1), 100_000);
    /** Per name from networks it never logged in from: 50 free failures, then the same schedule. */
    public static final LockoutRule DEFAULT_NAME_RULE = new LockoutRule(
            50, TimeUnit.SECONDS.toNanos(1), TimeUnit.MINUTES.toNanos(15), TimeUnit.HOURS.toNanos(1), 100_000);
    /** A LOGIN_FINISH later than this after its LOGIN_START is refused; the client's PBKDF2 fits well inside. */
    public static final long DEFAULT_ATTEMPT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    public static final int DEFAULT_MAX_PER_NETWORK = 8;
    private static final int KNOWN_ACCOUNTS = 100_000;

    /** What {@link #finish} decided. */
    public static final long EVALUATE = 0;
    public static final long EXPIRED = -1;

    /** One started login: holds its slots until finished, abandoned or expired. */
    public static final class Attempt {
        final String name;
        final String network;
        final String pair;
        final long started;
        boolean open = true;
        int pairFailuresBefore;
        long pairLockBefore;
        int networkFailuresBefore;
        long networkLockBefore;
        int nameFailuresBefore;
        long nameLockBefore;

        Attempt(String name, String network, long started) {
            this.name = name;
            this.network = network;
            this.pair = name + '\u0000' + network;
            this.started = started;
        }
    }

    private final FailureTracker<String> pairs;
    private final FailureTracker<String> networks;
    private final FailureTracker<String> names;
    private final KnownPrefixes known = new KnownPrefixes(KNOWN_ACCOUNTS);
    private final long attemptTimeoutNanos;
    private final int maxPerNetwork;
    private final Map<String, Attempt> openByPair = new HashMap<>();
    /** Open attempts per network, oldest first, so expired ones are found at the head. */
    private final Map<String, ArrayDeque<Attempt>> openByNetwork = new HashMap<>();

    public LoginThrottle() {
        this(DEFAULT_PAIR_RULE, DEFAULT_NETWORK_RULE, DEFAULT_NAME_RULE, DEFAULT_ATTEMPT_TIMEOUT_NANOS, DEFAULT_MAX_PER_NETWORK);
    }

    public LoginThrottle(LockoutRule pairRule, LockoutRule networkRule, LockoutRule nameRule,
                         long attemptTimeoutNanos, int maxPerNetwork) {
        if (attemptTimeoutNanos < 1 || maxPerNetwork < 1) {
            throw new IllegalArgumentException("attempt timeout and attempts per network must be positive");
        }
        this.pairs = new FailureTracker<>(pairRule);
        this.networks = new FailureTracker<>(networkRule);
        this.names = new FailureTracker<>(nameRule);
        this.attemptTimeoutNanos = attemptTimeoutNanos;
        this.maxPerNetwork = maxPerNetwork;
    }

    /** Nanoseconds until {@code name} may be tried from {@code network}; 0 means now. */
    public long lockedFor(String name, String network, long now) {
        long wait = Math.max(pairs.retryAfter(name + '\u0000' + network, now), networks.retryAfter(network, now));
        if (!known.contains(name, network)) {
            wait = Math.max(wait, names.retryAfter(name, now));
        }
        return wait;
    }

    /**
     * Nanoseconds until a slot for a new attempt is free; 0 means one is free now. Attempts that
     * expired meanwhile are charged as failures first.
     */
    public long busyFor(String name, String network, long now) {
        expire(network, now);
        Attempt same = openByPair.get(name + '\u0000' + network);
        ArrayDeque<Attempt> open = openByNetwork.get(network);
        Attempt blocking = same != null ? same : open != null && open.size() >= maxPerNetwork ? open.peekFirst() : null;
        if (blocking == null) {
            return 0;
        }
        return Math.max(1, blocking.started + attemptTimeoutNanos - now);
    }

    /** Starts an attempt once {@link #lockedFor} and {@link #busyFor} both said 0. */
    public Attempt begin(String name, String network, long now) {
        Attempt a = new Attempt(name, network, now);
        openByPair.put(a.pair, a);
        openByNetwork.computeIfAbsent(network, k -> new ArrayDeque<>()).addLast(a);
        return a;
    }

    /**
     * LOGIN_FINISH for {@code a}: frees its slot and answers {@link #EVALUATE} (a failure is now
     * charged in advance; call {@link #succeeded} if the proof holds), {@link #EXPIRED}, or the
     * nanoseconds of a lockout imposed since the start. The last two are charged as failures and
     * the proof must not be checked.
     */
    public long finish(Attempt a, long now) {
        if (!a.open) {
            return EXPIRED;
        }
        close(a);
        if (now - a.started >= attemptTimeoutNanos) {
            failure(a, now);
            return EXPIRED;
        }
        long locked = lockedFor(a.name, a.network, now);
        if (locked > 0) {
            failure(a, now);
            return locked;
        }
        a.pairFailuresBefore = pairs.failures(a.pair);
        a.pairLockBefore = pairs.lockedUntil(a.pair);
        a.networkFailuresBefore = networks.failures(a.network);
        a.networkLockBefore = networks.lockedUntil(a.network);
        a.nameFailuresBefore = names.failures(a.name);
        a.nameLockBefore = names.lockedUntil(a.name);
        failure(a, now);
        return EVALUATE;
    }

    /** The proof of an evaluated attempt held: the advance charge is taken back and the network remembered. */
    public void succeeded(Attempt a) {
        notEvaluated(a);
        pairs.clear(a.pair);
        known.add(a.name, a.network);
    }

    /** An attempt that {@link #finish} let through could not be checked after all (the server was busy): no charge. */
    public void notEvaluated(Attempt a) {
        pairs.refund(a.pair, a.pairFailuresBefore, a.pairLockBefore);
        networks.refund(a.network, a.networkFailuresBefore, a.networkLockBefore);
        names.refund(a.name, a.nameFailuresBefore, a.nameLockBefore);
    }

    /** The attempt will never be finished (its connection closed, or it was replaced): a failure. */
    public void abandon(Attempt a, long now) {
        if (a.open) {
            close(a);
            failure(a, now);
        }
    }

    private void close(Attempt a) {
        a.open = false;
        openByPair.remove(a.pair, a);
        ArrayDeque<Attempt> open = openByNetwork.get(a.network);
        if (open != null) {
            open.remove(a);
            if (open.isEmpty()) {
                openByNetwork.remove(a.network);
            }
        }
    }

    private void expire(String network, long now) {
        ArrayDeque<Attempt> open = openByNetwork.get(network);
        while (open != null && !open.isEmpty() && now - open.peekFirst().started >= attemptTimeoutNanos) {
            Attempt a = open.peekFirst();
            close(a);
            failure(a, now);
            open = openByNetwork.get(network);
        }
    }

    private void failure(Attempt a, long now) {
        pairs.failure(a.pair, now);
        networks.failure(a.network, now);
        names.failure(a.name, now);
    }

    public int trackedNames() {
        return names.size();
    }

    public int trackedNetworks() {
        return networks.size();
    }

    public int openAttempts() {
        return openByPair.size();
    }
}
