package parley.server.registry;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.ErrorCode;
import parley.core.wire.MessageClass;
import parley.server.auth.DecoyCredentials;
import parley.server.auth.HashingPool;
import parley.server.auth.ScramCredentials;
import parley.server.auth.ScramException;
import parley.server.auth.ScramServer;
import parley.server.auth.Usernames;
import parley.server.policy.AddressPrefix;
import parley.server.policy.LoginThrottle;
import parley.server.policy.RegistrationLimiter;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;

import java.security.SecureRandom;

/**
 * Registration and SCRAM-SHA-256 login. The registry never sees a password: REGISTER carries the
 * keys SCRAM derives from it, and a login proves knowledge of ClientKey without sending it.
 *
 * <p>Unknown names are answered with decoy credentials and fail at the proof, with the same code
 * and reason as a wrong password. Proof checks run on the hashing pool, off the loop.
 */
final class Logins implements AutoCloseable {
    static final int MAX_SCRAM_BYTES = 1024;
    private static final int MAX_TRACKED_NETWORKS = 100_000;
    static final String AUTH_FAILED_REASON = "authentication failed: unknown user or wrong password";

    private final Registry registry;
    private final HashingPool pool;
    private final DecoyCredentials decoys;
    private final LoginThrottle throttle;
    private final RegistrationLimiter registrations;
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

    Logins(Registry registry, byte[] decoySecret) {
        this.registry = registry;
        this.pool = new HashingPool(registry.loop);
        this.decoys = new DecoyCredentials(decoySecret, ScramCredentials.DEFAULT_ITERATIONS);
        RegistryConfig c = registry.config;
        this.throttle = new LoginThrottle(LoginThrottle.DEFAULT_PAIR_RULE, LoginThrottle.DEFAULT_NETWORK_RULE,
                LoginThrottle.DEFAULT_NAME_RULE, LoginThrottle.DEFAULT_ATTEMPT_TIMEOUT_NANOS, c.maxOpenLoginsPerNetwork);
        this.registrations = new RegistrationLimiter(c.registerBurstPerNetwork, c.registerIntervalPerNetworkNanos,
                c.registerBurst, 1_000_000_000L / c.registerPerSecond, MAX_TRACKED_NETWORKS);
    }

    void register(Session s, int correlation, BodyReader r) {
        String name = r.string(Registry.MAX_NAME_BYTES + 1);
        byte[] salt = r.bytes(ScramCredentials.MAX_SALT_LENGTH);
        int iterations = r.i32();
        byte[] storedKey = r.bytes(64);
        byte[] serverKey = r.bytes(64);
        r.end();
        Usernames.Problem problem = Usernames.validate(name);
        if (problem != null) {
            registry.replyError(s, correlation, problem.code(), problem.message());
            return;
        }
        int bad = ScramCredentials.check(salt, iterations, storedKey, serverKey);
        if (bad != 0 || iterations < registry.config.minIterations || iterations > registry.config.maxIterations) {
            registry.replyError(s, correlation, RegistryErrors.BAD_CREDENTIALS,
                    "credentials need a salt of 16-64 bytes, " + registry.config.minIterations + "-"
                            + registry.config.maxIterations + " iterations and 32-byte keys");
            return;
        }
        long wait = registrations.tryTake(network(s), registry.loop.nanoTime());
        if (wait > 0) {
            registry.replyError(s, correlation, RegistryErrors.REGISTER_LIMITED,
                    "too many new accounts from your network or in total; try again in " + seconds(wait) + " s");
            return;
        }
        registry.register(s, correlation, name, new ScramCredentials(salt, iterations, storedKey, serverKey));
    }

    void start(Session s, int correlation, BodyReader r) {
        String clientFirst = r.string(MAX_SCRAM_BYTES);
        r.end();
        if (s.isLoggedIn()) {
            registry.replyError(s, correlation, RegistryErrors.ALREADY_AUTHENTICATED, "already logged in; LOGOUT first");
            return;
        }
        long now = registry.loop.nanoTime();
        abandon(s, now); // a second LOGIN_START gives up the first attempt, which counts as a failure
        ScramServer scram = new ScramServer(ScramServer.newNonce(random));
        String name;
        try {
            name = scram.clientFirst(clientFirst);
        } catch (ScramException e) {
            registry.replyError(s, correlation, e.code(), e.getMessage());
            return;
        }
        String key = Usernames.key(name);
        String network = network(s);
        long locked = throttle.lockedFor(key, network, now);
        if (locked > 0) {
            registry.replyError(s, correlation, RegistryErrors.THROTTLED,
                    "too many failed logins; try again in " + seconds(locked) + " s");
            return;
        }
        long busy = throttle.busyFor(key, network, now);
        if (busy > 0) {
            registry.replyError(s, correlation, RegistryErrors.THROTTLED,
                    "another login for this name, or too many logins, in progress from your network; try again in "
                            + seconds(busy) + " s");
            return;
        }
        Account account = registry.accountsByKey.get(key);
        ScramCredentials credentials = account != null ? account.credentials : decoys.forKey(key);
        String serverFirst = scram.serverFirst(credentials, account == null);
        s.login = new Attempt(scram, account, throttle.begin(key, network, now));
        BodyWriter w = registry.replies.begin(s.connection);
        w.string(serverFirst);
        registry.replies.respond(s.connection, MessageClass.COMMAND, RegistryOpcodes.LOGIN_START, correlation);
    }

    private static String network(Session s) {
        return AddressPrefix.of(s.connection.remoteAddress().getAddress());
    }

    private static long seconds(long nanos) {
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
        String clientFinal = r.string(MAX_SCRAM_BYTES);
        r.end();
        if (!(s.login instanceof Attempt)) {
            registry.replyError(s, correlation, ErrorCode.BAD_STATE, "LOGIN_FINISH without LOGIN_START");
            return;
        }
        Attempt attempt = (Attempt) s.login;
        s.login = null;
        // The throttle is checked again here: a lockout imposed since LOGIN_START stops this proof
        // from being checked at all, and a failure is charged before the check, not after it.
        long verdict = throttle.finish(attempt.slot, registry.loop.nanoTime());
        if (verdict == LoginThrottle.EXPIRED) {
            registry.replyError(s, correlation, RegistryErrors.LOGIN_EXPIRED,
                    "the login was not finished within " + seconds(LoginThrottle.DEFAULT_ATTEMPT_TIMEOUT_NANOS) + " s; start again");
            return;
        }
        if (verdict != LoginThrottle.EVALUATE) {
            registry.replyError(s, correlation, RegistryErrors.THROTTLED,
                    "too many failed logins; try again in " + seconds(verdict) + " s");
            return;
        }
        boolean queued = pool.submit(() -> attempt.scram.clientFinal(clientFinal), (serverFinal, error) -> {
            if (error != null) {
                int code = error instanceof ScramException ? ((ScramException) error).code() : RegistryErrors.AUTH_FAILED;
                registry.replyError(s, correlation, code,
                        code == RegistryErrors.AUTH_FAILED ? AUTH_FAILED_REASON : error.getMessage());
                return;
            }
            throttle.succeeded(attempt.slot);
            if (!s.connection.isOpen() || attempt.account == null) {
                return;
            }
            registry.loggedIn(s, attempt.account);
            BodyWriter w = registry.replies.begin(s.connection);
            w.string(serverFinal).i64(s.tokenHi).i64(s.tokenLo).string(attempt.account.name).u8(attempt.account.visibility.code());
            registry.replies.respond(s.connection, MessageClass.COMMAND, RegistryOpcodes.LOGIN_FINISH, correlation);
        });
        if (!queued) {
            throttle.notEvaluated(attempt.slot);
            registry.replyError(s, correlation, ErrorCode.RATE_LIMITED, "the registry is busy verifying logins; retry shortly");
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
