package parley.server.registry;

import parley.core.util.LongObjectMap;
import parley.server.protocol.Usernames;
import parley.server.policy.Visibility;
import parley.server.store.AccountRecord;
import parley.server.store.BlockRecord;
import parley.server.store.ContactPair;
import parley.server.store.ContactRequestRecord;
import parley.server.store.IdentityRecord;
import parley.server.store.Snapshot;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The registry's indexes: accounts by name key, by id and in name order, names being registered,
 * logged-in sessions by probe id, every live session, and the online accounts visible to everyone.
 * It decides nothing; the rules live in {@link Sessions}, {@link Presence}, {@link Contacts},
 * {@link Introductions}, {@link Registrations} and {@link Logins}. Loop thread only.
 */
public final class Registry {
    private final Map<String, Account> accountsByKey = new HashMap<>();
    // Keyed by CharSequence so that SEARCH and LOOKUP_ENDPOINT can look a key up from a reused
    // builder; the comparator orders exactly as String.compareTo does.
    private final TreeMap<CharSequence, Account> accountsSorted = new TreeMap<>(NameKeys.ORDER);
    private final LongObjectMap<Account> accountsById = new LongObjectMap<>();
    private final Set<String> namesBeingRegistered = new HashSet<>();
    private final LongObjectMap<Session> sessionsByProbeId = new LongObjectMap<>();
    private final Set<Session> live = new HashSet<>();
    /** Online accounts visible to everyone: WHO lists these without scanning every session. */
    final AccountSet publicOnline = new AccountSet();

    Registry(Snapshot snapshot) {
        for (AccountRecord row : snapshot.accounts()) {
            Account a = new Account(row.id(), row.username(), row.usernameKey(), row.credentials(), row.visibility());
            a.createdAtMillis = row.createdAtMillis();
            addAccount(a);
        }
        for (ContactPair p : snapshot.contacts()) {
            Account a = accountsById.get(p.low());
            Account b = accountsById.get(p.high());
            if (a != null && b != null) {
                Account.link(a, b);
            }
        }
        for (ContactRequestRecord p : snapshot.requests()) {
            Account a = accountsById.get(p.from());
            Account b = accountsById.get(p.to());
            if (a != null && b != null) {
                Account.request(a, b);
            }
        }
        for (IdentityRecord r : snapshot.identities()) {
            Account a = accountsById.get(r.accountId());
            if (a != null) {
                a.identity = r.bundle().clone();
            }
        }
        for (BlockRecord p : snapshot.blocks()) {
            Account a = accountsById.get(p.blocker());
            Account b = accountsById.get(p.blocked());
            if (a != null && b != null) {
                Account.block(a, b);
            }
        }
    }

    void addAccount(Account a) {
        accountsByKey.put(a.key, a);
        accountsSorted.put(a.key, a);
        accountsById.put(a.id, a);
    }

    /** Every account (ClusterResync walks them after a cut); do not add or remove while walking. */
    java.util.Collection<Account> accounts() {
        return accountsByKey.values();
    }

    int accountCount() {
        return accountsByKey.size();
    }

    /** Open connections, logged in or not. */
    int connectionCount() {
        return live.size();
    }

    /** The account whose name key ({@link Usernames#key}) is {@code key}, or null. */
    Account byKey(String key) {
        return accountsByKey.get(key);
    }

    /** As {@link #byKey(String)}, from a reused builder: allocation-free. */
    Account byKey(CharSequence key) {
        return accountsSorted.get(key);
    }

    /** The account with this id, or null. */
    Account byId(long id) {
        return accountsById.get(id);
    }

    /** The account registered under {@code name}, compared without regard to case, or null. */
    Account account(String name) {
        return accountsByKey.get(Usernames.key(name));
    }

    /** The name keys in order, for SEARCH's prefix walk. */
    TreeMap<CharSequence, Account> sorted() {
        return accountsSorted;
    }

    boolean nameTakenOrReserved(String key) {
        return accountsByKey.containsKey(key) || namesBeingRegistered.contains(key);
    }

    void reserveName(String key) {
        namesBeingRegistered.add(key);
    }

    void releaseName(String key) {
        namesBeingRegistered.remove(key);
    }

    void addLive(Session s) {
        live.add(s);
    }

    void removeLive(Session s) {
        live.remove(s);
    }

    /** Every open session, as a copy the caller may close sessions while walking. */
    Session[] liveSessions() {
        return live.toArray(new Session[0]);
    }

    Session byProbeId(long probeId) {
        return sessionsByProbeId.get(probeId);
    }

    void putProbeId(Session s) {
        sessionsByProbeId.put(s.probeId, s);
    }

    void removeProbeId(Session s) {
        sessionsByProbeId.remove(s.probeId);
    }

    /** Keeps {@link #publicOnline} true to {@code a}'s session and visibility. */
    void updatePublic(Account a) {
        if (a.isOnline() && a.visibility == Visibility.EVERYONE) {
            publicOnline.add(a);
        } else {
            publicOnline.remove(a);
        }
    }
}
