package parley.server.registry;

import parley.server.store.RegistryWrites;

import parley.core.wire.BodyReader;
import parley.server.auth.ScramCredentials;
import parley.server.protocol.Usernames;
import parley.server.policy.AddressPrefix;
import parley.server.policy.RegistrationLimiter;
import parley.server.policy.Visibility;
import parley.server.protocol.RegisterRequest;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;

/**
 * REGISTER: the name is checked, the SCRAM keys are bounded, the source network and the whole
 * registry are held to their registration rates, the name is reserved while the new row is
 * written, and the account exists once the write is durable. The registry never sees a
 * password: REGISTER carries the keys SCRAM derives from it. Loop thread only.
 */
final class Registrations {
    private static final int MAX_TRACKED_NETWORKS = 100_000;

    private final Registry registry;
    private final Replies replies;
    private final RegistryWrites store;
    private final Timers timers;
    private final RegistryConfig config;
    private final RegistrationLimiter limiter;
    private final Identities identities;
    /** Told of every account created here (ClusterAccounts: the other nodes on a shared store). */
    java.util.function.Consumer<Account> created = a -> { };

    Registrations(Registry registry, Replies replies, RegistryWrites store, Timers timers, RegistryConfig config,
                  Identities identities) {
        this.identities = identities;
        this.registry = registry;
        this.replies = replies;
        this.store = store;
        this.timers = timers;
        this.config = config;
        this.limiter = new RegistrationLimiter(config.registerBurstPerNetwork, config.registerIntervalPerNetworkNanos,
                config.registerBurst, 1_000_000_000L / config.registerPerSecond, MAX_TRACKED_NETWORKS);
    }

    void register(Session s, int correlation, BodyReader r) {
        RegisterRequest m = RegisterRequest.decode(r);
        String name = m.name();
        Usernames.Problem problem = Usernames.validate(name);
        if (problem != null) {
            replies.error(s, correlation, problem.code(), problem.message());
            return;
        }
        int bad = ScramCredentials.check(m.salt(), m.iterations(), m.storedKey(), m.serverKey());
        if (bad != 0 || m.iterations() < config.minIterations || m.iterations() > config.maxIterations) {
            replies.error(s, correlation, RegistryErrors.BAD_CREDENTIALS,
                    "credentials need a salt of 16-64 bytes, " + config.minIterations + "-"
                            + config.maxIterations + " iterations and 32-byte keys");
            return;
        }
        long wait = limiter.tryTake(network(s), timers.nanoTime());
        if (wait > 0) {
            replies.error(s, correlation, RegistryErrors.REGISTER_LIMITED,
                    "too many new accounts from your network or in total; try again in " + Logins.seconds(wait) + " s");
            return;
        }
        ScramCredentials credentials = new ScramCredentials(m.salt(), m.iterations(), m.storedKey(), m.serverKey());
        if (m.identity() == null) {
            create(s, correlation, name, credentials, null);
            return;
        }
        // The bundle's signature is checked off the loop first; the account and its bundle are
        // then written in one transaction, so an acknowledged account always has the bundle it sent.
        identities.verified(s, correlation, m.identity(), b -> create(s, correlation, name, credentials, b.toBytes()));
    }

    private void create(Session s, int correlation, String name, ScramCredentials credentials, byte[] identity) {
        String key = Usernames.key(name);
        if (registry.nameTakenOrReserved(key)) {
            replies.error(s, correlation, RegistryErrors.USERNAME_TAKEN, "the name " + name + " is taken");
            return;
        }
        registry.reserveName(key);
        store.createAccount(name, key, credentials, Visibility.DEFAULT, identity, config.wallClockMillis.getAsLong(), (row, error) -> {
            registry.releaseName(key);
            if (error != null) {
                replies.storageFailed(s, correlation, error);
                return;
            }
            Account a = new Account(row.id(), name, key, credentials, Visibility.DEFAULT);
            a.createdAtMillis = row.createdAtMillis();
            a.identity = identity;
            registry.addAccount(a);
            created.accept(a);
            replies.ok(s, RegistryOpcodes.REGISTER, correlation);
        });
    }

    static String network(Session s) {
        return AddressPrefix.of(s.link.remoteAddress().getAddress());
    }
}
