package parley.server.registry;

import parley.server.store.GroupRows;
import parley.server.store.GroupWrites;
import parley.server.store.MailboxUsage;
import parley.server.store.MailboxWrites;
import parley.server.store.RegistryWrites;

import parley.server.store.Snapshot;

import java.util.List;

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
    final Relays relays;
    final Introductions introductions;
    final Sessions sessions;
    final Contacts contacts;
    final Registrations registrations;
    final Identities identities;
    final Logins logins;
    final MailQuotas mailQuotas;
    final Mailbox mailbox;
    final MailSweeper mailSweeper;
    final GroupDirectory groupDirectory;
    final Groups groups;
    final RequestRouter router;
    final Cluster cluster;

    /**
     * {@code mail} serves the mailbox; {@code mailUsage} is every mailbox's entries and bytes as
     * stored, from which the loop's quota counters start; {@code groupStore} serves the groups and
     * {@code groupRows} is every group and membership as stored.
     */
    RegistryRules(RegistryConfig config, Timers timers, RegistryWrites store, MailboxWrites mail, ProofChecks proofs,
                  Snapshot snapshot, List<MailboxUsage> mailUsage, GroupWrites groupStore, GroupRows groupRows) {
        this.config = config;
        this.timers = timers;
        this.registry = new Registry(snapshot);
        this.cluster = new Cluster(config, registry, timers);
        this.replies = new Replies(config.maxFrameLength);
        this.relays = new Relays(config, timers);
        this.presence = new Presence(registry, replies, store, config, relays, cluster);
        this.introductions = new Introductions(presence, replies, timers, config, relays, cluster);
        this.sessions = new Sessions(registry, presence, introductions, replies, timers, config, relays, cluster);
        this.contacts = new Contacts(registry, presence, replies, store, config, relays, cluster);
        cluster.wire(presence, contacts, sessions, relays, introductions.remote);
        this.mailQuotas = new MailQuotas(mailUsage, config);
        ClusterResync resync = new ClusterResync(config, store, mail, registry, presence, contacts, mailQuotas, cluster);
        contacts.fresh = resync::fresh;
        this.identities = new Identities(presence, replies, store, proofs, config);
        this.registrations = new Registrations(registry, replies, store, timers, config, identities);
        Logins.Directory directory = new Logins.Directory() {
            @Override
            public Account byKey(String key) {
                return registry.byKey(key);
            }

            @Override
            public void fresh(String key, Runnable then) {
                resync.fresh(key, then);
            }

            @Override
            public void bind(Session s, Account a) {
                sessions.loggedIn(s, a);
            }
        };
        this.logins = new Logins(directory, replies, timers, config, proofs, snapshot.decoySecret());
        this.mailbox = new Mailbox(presence, replies, mail, mailQuotas, config);
        this.mailSweeper = new MailSweeper(registry, mailbox, mailQuotas, mail, timers, config);
        this.groupDirectory = new GroupDirectory(groupRows, registry);
        presence.coMembers(groupDirectory::joinedTogether);
        this.groups = new Groups(groupDirectory, registry, presence, replies, groupStore, config);
        ClusterAccounts shared = new ClusterAccounts(cluster, config, registry, mailQuotas, mailbox);
        ClusterGroups sharedGroups = new ClusterGroups(cluster, config, registry, groupDirectory, groups.notices);
        groups.nodes = sharedGroups;
        groups.notices.nodes = sharedGroups;
        resync.groups(groupStore, sharedGroups);
        cluster.wire(shared, resync, sharedGroups);
        registrations.created = shared::created;
        identities.stored = shared::identitySet;
        mailQuotas.tell(shared);
        mailbox.announceElsewhere(shared::mailWaiting);
        this.router = new RequestRouter(this);
    }

    @Override
    public void close() {
        mailSweeper.stop();
        cluster.close();
        logins.close();
    }
}
