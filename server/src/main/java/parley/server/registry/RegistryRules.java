package parley.server.registry;

import parley.server.store.RegistryWrites;

import parley.server.store.Snapshot;

/**
 * The registry's rules wired together over one set of indexes: what {@link RegistryServer} runs
 * on its loop, and what the in-memory test harness runs on fakes (a captured {@link Link}, an
 * immediate {@link RegistryWrites}, inline {@link ProofChecks}, manual {@link Timers}).
 */
final class RegistryRules implements AutoCloseable {
    final RegistryConfig config;
    final Timers timers;
    final Registry registry;
    final Replies replies;
    final Presence presence;
    final Introductions introductions;
    final Sessions sessions;
    final Contacts contacts;
    final Registrations registrations;
    final Identities identities;
    final Logins logins;
    final RequestRouter router;

    RegistryRules(RegistryConfig config, Timers timers, RegistryWrites store, ProofChecks proofs, Snapshot snapshot) {
        this.config = config;
        this.timers = timers;
        this.registry = new Registry(snapshot);
        this.replies = new Replies(config.maxFrameLength);
        this.presence = new Presence(registry, replies, store, config);
        this.introductions = new Introductions(presence, replies, timers, config);
        this.sessions = new Sessions(registry, presence, introductions, replies, timers, config);
        this.contacts = new Contacts(registry, presence, replies, store, config);
        this.identities = new Identities(presence, replies, store, proofs, config);
        this.registrations = new Registrations(registry, replies, store, timers, config, identities);
        Logins.Directory directory = new Logins.Directory() {
            @Override
            public Account byKey(String key) {
                return registry.byKey(key);
            }

            @Override
            public void bind(Session s, Account a) {
                sessions.loggedIn(s, a);
            }
        };
        this.logins = new Logins(directory, replies, timers, config, proofs, snapshot.decoySecret());
        this.router = new RequestRouter(this);
    }

    @Override
    public void close() {
        logins.close();
    }
}
