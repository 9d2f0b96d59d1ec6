package parley.server.registry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.server.store.BlockRecord;
import parley.server.store.ContactPair;
import parley.server.store.ContactRequestRecord;
import parley.server.store.IdentityRecord;
import parley.server.store.MailboxUsage;
import parley.server.store.MailboxWrites;
import parley.server.store.RegistryWrites;
import parley.server.store.Snapshot;
import parley.server.store.AccountRecord;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A cluster node on a shared store (PostgreSQL), before it serves after a bus cut (and once after
 * it starts): what it missed on the bus (accounts, identity bundles, visibility, contacts,
 * requests, blocks, mailbox counters) is in the store, so it re-reads the store, off the loop,
 * and brings its memory to it, with the same pushes a change read from the bus would cause.
 * Changes read from the bus while the store is read are held and applied after (each says what
 * the state becomes, so one the store already showed is applied twice harmlessly), so nothing
 * newer is undone by the older read. With per-node stores (SQLite) there is nothing shared to
 * re-read and the node serves at once. Loop thread only.
 */
final class ClusterResync {
    private static final Logger log = LoggerFactory.getLogger(ClusterResync.class);
    /** The bus messages that change state a re-read also sets: held while the store is read. */
    private static final Set<String> CHANGES = Set.of("VIS", "BLK", "UBL", "LNK", "ULK", "REQ", "URQ",
            "ACC", "IDN", "MQ", "MW", ClusterGroups.KIND);

    private final RegistryWrites store;
    private final MailboxWrites mail;
    private final Registry registry;
    private final Presence presence;
    private final Contacts contacts;
    private final MailQuotas quotas;
    private final boolean on;
    private final Cluster cluster;
    /** A pending contact request, from one account to another. */
    private record Edge(long from, long to) {
    }

    /** The groups, re-read with the rest (set by the rules; null in tests that build no groups). */
    private parley.server.store.GroupWrites groupStore;
    private ClusterGroups groups;

    void groups(parley.server.store.GroupWrites store, ClusterGroups groups) {
        this.groupStore = store;
        this.groups = groups;
    }

    /** Non-null while the store is being read. */
    private List<String> held;

    ClusterResync(RegistryConfig config, RegistryWrites store, MailboxWrites mail, Registry registry, Presence presence,
                  Contacts contacts, MailQuotas quotas, Cluster cluster) {
        this.cluster = cluster;
        this.store = store;
        this.mail = mail;
        this.registry = registry;
        this.presence = presence;
        this.contacts = contacts;
        this.quotas = quotas;
        this.on = config.sharedStore && config.bus.clustered();
    }

    /** True when the node must re-read the store before it serves. */
    boolean needed() {
        return on;
    }

    boolean reading() {
        return held != null;
    }

    /** Holds {@code message} of kind {@code kind} if the store is being read and it changes state. */
    boolean holds(String kind, String message) {
        if (held == null || !CHANGES.contains(kind)) {
            return false;
        }
        held.add(message);
        return true;
    }

    /**
     * Reads the store and applies it; then {@code done} gets true (false: the store failed, and
     * the node must not serve yet) and the messages held meanwhile, to be applied in order.
     */
    void reread(BiConsumer<Boolean, List<String>> done) {
        held = new ArrayList<>();
        store.loadAll((snapshot, error) -> {
            if (error != null) {
                finish(false, done);
                return;
            }
            mail.mailUsage((usage, mailError) -> {
                if (mailError != null || groups == null) {
                    if (mailError == null) {
                        apply(snapshot, usage);
                    }
                    finish(mailError == null, done);
                    return;
                }
                groupStore.groupsLoad((rows, groupError) -> {
                    if (groupError == null) {
                        apply(snapshot, usage);
                        groups.reread(rows); // after the accounts: a new member may be a new account
                    }
                    finish(groupError == null, done);
                });
            });
        });
    }

    /**
     * A login for {@code key} (see Logins.Directory#fresh): the store is asked for every name. An
     * account the store has and memory lacks means this node missed its announcement on the bus
     * (the ACC still in flight, or lost when its node died right after the write), and perhaps
     * changes about it too: the node then stops serving and re-reads the store, as after a cut
     * ({@link Cluster#missed}), before the login goes on.
     */
    void fresh(String key, Runnable then) {
        if (!on) {
            then.run();
            return;
        }
        store.loadAccount(key, (row, error) -> {
            if (error == null && row != null && registry.byKey(key) == null && registry.byId(row.id()) == null) {
                cluster.missed(then);
            } else {
                then.run();
            }
        });
    }

    private void finish(boolean ok, BiConsumer<Boolean, List<String>> done) {
        if (!ok) {
            log.warn("cluster: the store could not be read again; not serving yet");
        }
        List<String> h = held;
        held = null;
        done.accept(ok, h);
    }

    private void apply(Snapshot s, List<MailboxUsage> usage) {
        for (AccountRecord row : s.accounts()) {
            Account a = registry.byId(row.id());
            if (a == null && registry.byKey(row.usernameKey()) == null) {
                a = new Account(row.id(), row.username(), row.usernameKey(), row.credentials(), row.visibility());
                a.createdAtMillis = row.createdAtMillis();
                registry.addAccount(a);
            } else if (a != null && a.visibility != row.visibility()) {
                presence.applyVisibility(a, row.visibility());
            }
        }
        for (IdentityRecord r : s.identities()) {
            Account a = registry.byId(r.accountId());
            if (a != null && !Arrays.equals(a.identity, r.bundle())) {
                a.identity = r.bundle().clone();
            }
        }
        Set<ContactPair> links = new HashSet<>(s.contacts());
        Set<BlockRecord> blocks = new HashSet<>(s.blocks());
        Set<Edge> requests = new HashSet<>();
        for (ContactRequestRecord r : s.requests()) {
            requests.add(new Edge(r.from(), r.to()));
        }
        // What memory has and the store no longer does: narrowing first (removed, unblocked, declined).
        List<Runnable> changes = new ArrayList<>();
        for (Account a : registry.accounts()) {
            for (Account c : a.contacts()) {
                if (a.id < c.id && !links.remove(new ContactPair(a.id, c.id))) {
                    changes.add(() -> contacts.applyRemote("ULK", a, c));
                }
            }
            for (Account b : a.blocked()) {
                if (!blocks.remove(new BlockRecord(a.id, b.id))) {
                    changes.add(() -> contacts.applyRemote("UBL", a, b));
                }
            }
            for (Account to : a.outgoing()) {
                if (!requests.remove(new Edge(a.id, to.id))) {
                    changes.add(() -> contacts.applyRemote("URQ", to, a));
                }
            }
        }
        changes.forEach(Runnable::run);
        // What the store has and memory did not: the sets above now hold only those.
        for (BlockRecord b : blocks) {
            both(b.blocker(), b.blocked(), "BLK");
        }
        for (ContactPair p : links) {
            both(p.low(), p.high(), "LNK");
        }
        for (Edge p : requests) {
            both(p.from(), p.to(), "REQ");
        }
        quotas.reset(usage);
    }

    private void both(long a, long b, String kind) {
        Account x = registry.byId(a);
        Account y = registry.byId(b);
        if (x != null && y != null) {
            contacts.applyRemote(kind, x, y);
        }
    }
}
