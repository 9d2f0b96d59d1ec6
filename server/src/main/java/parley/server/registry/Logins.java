package parley.server.registry;

import parley.core.wire.BodyReader;
import parley.core.wire.ErrorCode;
import parley.core.wire.MessageClass;
import parley.server.auth.DecoyCredentials;
import parley.server.auth.ScramCredentials;
import parley.server.protocol.scram.ScramException;
import parley.server.auth.ScramServer;
import parley.server.protocol.Usernames;
import parley.server.policy.LoginThrottle;
import parley.server.protocol.IdentityBundle;
import parley.server.protocol.LoginFinishReply;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.ScramText;
import parley.server.protocol.RegistryOpcodes;

import java.security.SecureRandom;

/**
 * SCRAM-SHA-256 login (LOGIN_START, LOGIN_FINISH). A login proves knowledge of ClientKey without
 * sending it; the throttle of {@link LoginThrottle} decides whether an attempt may start and
 * whether its proof is checked at all.
 *
 * <p>Unknown names are answered with decoy credentials and fail at the proof, with the same code
 * and reason as a wrong password. Proof checks run on the hashing pool, off the loop.
 */
final class Logins implements AutoCloseable {
    static final String AUTH_FAILED_REASON = "authentication failed: unknown user or wrong password";

    private final Directory directory;
    private final Replies replies;
    private final Timers timers;
    private final ProofChecks proofs;
    private final DecoyCredentials decoys;
    private final LoginThrottle throttle;
    private final SecureRandom random = new SecureRandom();

    /** A login in progress, kept on the session between LOGIN_START and LOGIN_FINISH. */
    private static final class Attempt {
        final ScramServer scram;
        final Account account;
        final LoginThrottle.Attempt slot;

        Attempt(ScramServer scram, Account account, LoginThrottle.Attempt slot) {
            this.scram = scram;
            this.account = account;
            this.slot = slot;
        }
    }

    /**
     * All a login needs of the rest of the registry: the account a name key belongs to, and
     * binding a proven login to its account (replacing any older session).
     */
    interface Directory {
        Account byKey(String key);

        /**
         * Runs {@code then} once memory is as fresh as the store for {@code key}: at once alone;
         * on a store shared by cluster nodes, after asking the store (ClusterResync.fresh), for
         * every name alike, so a known name is not answered sooner than an unknown one.
         */
        default void fresh(String key, Runnable then) {
            then.run();
        }

        void bind(Session s, Account a);
    }

    /**
     * @param directory accounts by name key, and the binding of a proven login
     * @param proofs    where proofs are checked, off the loop
     */
    private final boolean allowWithoutBinding;

    Logins(Directory directory, Replies replies, Timers timers, RegistryConfig config, ProofChecks proofs,
           byte[] decoySecret) {
        this.directory = directory;
        this.replies = replies;
        this.timers = timers;
        this.proofs = proofs;
        this.allowWithoutBinding = config.allowScramWithoutBinding;
        this.decoys = new DecoyCredentials(decoySecret, ScramCredentials.DEFAULT_ITERATIONS);
        this.throttle = new LoginThrottle(LoginThrottle.DEFAULT_PAIR_RULE, LoginThrottle.DEFAULT_NETWORK_RULE,
                LoginThrottle.DEFAULT_NAME_RULE, LoginThrottle.DEFAULT_ATTEMPT_TIMEOUT_NANOS, config.maxOpenLoginsPerNetwork);
    }

    void start(Session s, int correlation, BodyReader r) {
        String clientFirst = ScramText.decode(r).text();
        if (s.isLoggedIn()) {
            replies.error(s, correlation, RegistryErrors.ALREADY_AUTHENTICATED, "already logged in; LOGOUT first");
            return;
        }
        long now = timers.nanoTime();
        abandon(s, now); // a second LOGIN_START gives up the first attempt, which counts as a failure
        // On TLS, the binding is our certificate's hash as this connection presented it.
        ScramServer scram = new ScramServer(ScramServer.newNonce(random), s.link.channelBinding(), !allowWithoutBinding);
        String name;
        try {
            name = scram.clientFirst(clientFirst);
        } catch (ScramException e) {
            replies.error(s, correlation, e.code(), e.getMessage());
            return;
        }
        String key = Usernames.key(name);
        String network = Registrations.network(s);
        long locked = throttle.lockedFor(key, network, now);
        if (locked > 0) {
            replies.error(s, correlation, RegistryErrors.THROTTLED,
                    "too many failed logins; try again in " + seconds(locked) + " s");
            return;
        }
        long busy = throttle.busyFor(key, network, now);
        if (busy > 0) {
            replies.error(s, correlation, RegistryErrors.THROTTLED,
                    "another login for this name, or too many logins, in progress from your network; try again in "
                            + seconds(busy) + " s");
            return;
        }
        directory.fresh(key, () -> begin(s, correlation, scram, key, network));
    }

    private void begin(Session s, int correlation, ScramServer scram, String key, String network) {
        if (!s.link.isOpen() || s.isLoggedIn()) {
            return;
        }
        long now = timers.nanoTime();
        abandon(s, now); // a LOGIN_START sent while this one asked the store
        Account account = directory.byKey(key);
        ScramCredentials credentials = account != null ? account.credentials : decoys.forKey(key);
        String serverFirst = scram.serverFirst(credentials, account == null);
        s.login = new Attempt(scram, account, throttle.begin(key, network, now));
        new ScramText(serverFirst).encode(replies.begin(s.link));
        replies.respond(s.link, MessageClass.COMMAND, RegistryOpcodes.LOGIN_START, correlation);
    }

    static long seconds(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }

    /** The session's unfinished login, if any, is given up and charged as a failure. */
    void abandon(Session s, long now) {
        if (s.login instanceof Attempt) {
            throttle.abandon(((Attempt) s.login).slot, now);
            s.login = null;
        }
    }

    void finish(Session s, int correlation, BodyReader r) {
        String clientFinal = ScramText.decode(r).text();
        if (!(s.login instanceof Attempt)) {
            replies.error(s, correlation, ErrorCode.BAD_STATE, "LOGIN_FINISH without LOGIN_START");
            return;
        }
        Attempt attempt = (Attempt) s.login;
        s.login = null;
        // The throttle is checked again here: a lockout imposed since LOGIN_START stops this proof
        // from being checked at all, and a failure is charged before the check, not after it.
        long verdict = throttle.finish(attempt.slot, timers.nanoTime());
        if (verdict == LoginThrottle.EXPIRED) {
            replies.error(s, correlation, RegistryErrors.LOGIN_EXPIRED,
                    "the login was not finished within " + seconds(LoginThrottle.DEFAULT_ATTEMPT_TIMEOUT_NANOS) + " s; start again");
            return;
        }
        if (verdict != LoginThrottle.EVALUATE) {
            replies.error(s, correlation, RegistryErrors.THROTTLED,
                    "too many failed logins; try again in " + seconds(verdict) + " s");
            return;
        }
        boolean queued = proofs.submit(() -> attempt.scram.clientFinal(clientFinal), (serverFinal, error) -> {
            if (error != null) {
                int code = error instanceof ScramException ? ((ScramException) error).code() : RegistryErrors.AUTH_FAILED;
                replies.error(s, correlation, code,
                        code == RegistryErrors.AUTH_FAILED ? AUTH_FAILED_REASON : error.getMessage());
                return;
            }
            throttle.succeeded(attempt.slot);
            if (!s.link.isOpen() || attempt.account == null) {
                return;
            }
            directory.bind(s, attempt.account);
            Account a = attempt.account;
            new LoginFinishReply(serverFinal, s.probeId, s.probeKey, a.name, a.visibility.code(),
                    a.identity == null ? null : IdentityBundle.fromBytes(a.identity)).encode(replies.begin(s.link));
            replies.respond(s.link, MessageClass.COMMAND, RegistryOpcodes.LOGIN_FINISH, correlation);
        });
        if (!queued) {
            throttle.notEvaluated(attempt.slot);
            replies.error(s, correlation, ErrorCode.RATE_LIMITED, "the registry is busy verifying logins; retry shortly");
        }
    }

    @Override
    public void close() {
        proofs.close();
    }
}
