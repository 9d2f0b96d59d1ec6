package parley.server.registry;

import parley.server.protocol.GroupCodes;
import parley.server.protocol.Usernames;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups across the nodes of a cluster on ONE shared store (issue 16, PROTOCOL.md 7.13): every
 * node keeps every group in memory ({@link GroupDirectory}), so a change committed on one node is
 * told to the others at once, as accounts and contacts are ({@link ClusterAccounts}):
 * <pre>GRP origin fence id name createdAt version flag n key1 role1 ... keyN roleN notice...</pre>
 * {@code fence} is 0, or for a change that narrows who may know the group (a removal, a dissolve)
 * the id of its fence ({@link Cluster#replicateFenced}): each node acknowledges it once applied,
 * and the requester hears OK only then, as for a block (PROTOCOL.md 7.13).
 * {@code flag} is C (created), U (roles changed) or D (dissolved); the pairs are the roles the
 * change set (0 = removed), a delta rather than the whole roster, so changes made on two nodes to
 * different members of one group both survive; the notices are the pushes the origin made to its
 * own sessions ({@link GroupNotices}), replayed on every node so each member hears them from the
 * node it is logged in on:
 * {@code I:to:from} (GROUP_INVITED), {@code C:kind:user:role:alsoTo|-} (GROUP_CHANGED to the
 * members and the user removed) and {@code O:to:kind:user:role} (one GROUP_CHANGED).
 * Who may know a group is still decided by {@link Presence#groupFor}, now over the same roles on
 * every node. Names and keys never hold a space or a colon (Usernames). Nothing is sent with
 * per-node stores (SQLite), where a group exists only in its node's file. Loop thread only.
 */
final class ClusterGroups {
    static final String KIND = "GRP";
    static final String CREATED = "C";
    static final String CHANGED = "U";
    static final String DISSOLVED = "D";
    private static final String NONE = "-";
    private static final int FIXED_WORDS = 9;

    private final Cluster cluster;
    private final Registry registry;
    private final GroupDirectory directory;
    private final GroupNotices notices;
    private final boolean on;
    /** The notices made since the last {@link #published}: they travel with it. */
    private final StringBuilder noted = new StringBuilder();
    private boolean replaying;

    ClusterGroups(Cluster cluster, RegistryConfig config, Registry registry, GroupDirectory directory, GroupNotices notices) {
        this.cluster = cluster;
        this.registry = registry;
        this.directory = directory;
        this.notices = notices;
        this.on = config.sharedStore && cluster.clustered();
    }

    // ---- what this node tells ---------------------------------------------------------------

    void invitedNote(Account to, Account from) {
        note("I:" + to.key + ":" + from.key);
    }

    void changedNote(int kind, Account user, int role, Account alsoTo) {
        note("C:" + kind + ":" + user.key + ":" + role + ":" + (alsoTo == null ? NONE : alsoTo.key));
    }

    void oneNote(Account to, int kind, Account user, int role) {
        note("O:" + to.key + ":" + kind + ":" + user.key + ":" + role);
    }

    private void note(String token) {
        if (on && !replaying) {
            noted.append(' ').append(token);
        }
    }

    /** A change committed here: {@code who[i]} now has {@code roles[i]} in {@code g}; told with the notices made for it. */
    void published(Group g, String flag, Account[] who, int[] roles) {
        if (on) {
            cluster.broadcast(head() + 0 + body(g, flag, who, roles));
        }
    }

    /**
     * As {@link #published}, for a change that narrows who may know {@code g}: {@code then} (the
     * requester's OK) runs once every live node applied it, {@code failed} (BUS_UNAVAILABLE) if it
     * never reached the bus. Alone or with per-node stores, {@code then} runs at once.
     */
    void publishedFenced(Group g, String flag, Account[] who, int[] roles, Runnable then, Runnable failed) {
        if (!on) {
            then.run();
            return;
        }
        String head = head();
        String body = body(g, flag, who, roles);
        cluster.replicateFenced(fence -> head + fence + body, then, failed);
    }

    /** Whether a narrowing change waits for its fence here (cluster mode on a shared store). */
    boolean fenced() {
        return on;
    }

    private String head() {
        return KIND + " " + cluster.self() + " ";
    }

    private String body(Group g, String flag, Account[] who, int[] roles) {
        StringBuilder m = new StringBuilder().append(' ')
                .append(Base64.getEncoder().encodeToString(g.id)).append(' ').append(g.name).append(' ')
                .append(g.createdAtMillis).append(' ').append(g.version).append(' ').append(flag).append(' ').append(who.length);
        for (int i = 0; i < who.length; i++) {
            m.append(' ').append(who[i].key).append(' ').append(roles[i]);
        }
        m.append(noted);
        noted.setLength(0);
        return m.toString();
    }

    // ---- a node back from a cut ------------------------------------------------------------

    /**
     * Brings memory to the groups as stored (ClusterResync, after a cut or a missed account): a
     * group created, changed or dissolved meanwhile on another node is added, set or removed.
     * No push is made for what was missed: its members see it in GROUPS and GROUP_MEMBERS.
     */
    void reread(parley.server.store.GroupRows rows) {
        Map<ByteBuffer, Map<Account, Integer>> stored = new HashMap<>();
        for (parley.server.store.GroupRecord r : rows.groups()) {
            Group g = directory.byId(r.id());
            if (g == null) {
                Group stale = directory.byName(r.name());
                if (stale != null) {
                    directory.remove(stale); // dissolved elsewhere, and its name taken again
                }
                g = new Group(r.id(), r.name(), r.nameKey(), r.version(), r.createdAtMillis());
                directory.add(g);
            }
            g.version = Math.max(g.version, r.version());
            g.issued = Math.max(g.issued, g.version);
            stored.put(ByteBuffer.wrap(r.id()), new HashMap<>());
        }
        for (parley.server.store.GroupMemberRecord m : rows.members()) {
            Map<Account, Integer> roles = stored.get(ByteBuffer.wrap(m.groupId()));
            Account a = registry.byId(m.account());
            if (roles != null && a != null && GroupCodes.isRole(m.role())) {
                roles.put(a, m.role());
            }
        }
        for (Group g : directory.all()) {
            Map<Account, Integer> roles = stored.get(ByteBuffer.wrap(g.id));
            if (roles == null) {
                directory.remove(g);
                continue;
            }
            List<Account> gone = new ArrayList<>();
            for (Map.Entry<Account, Integer> e : g.entries()) {
                if (!roles.containsKey(e.getKey())) {
                    gone.add(e.getKey());
                }
            }
            gone.forEach(a -> directory.setRole(g, a, GroupCodes.ROLE_NONE));
            roles.forEach((a, role) -> directory.setRole(g, a, role));
        }
    }

    // ---- what the others tell ---------------------------------------------------------------

    /** Applies a GRP message from another node (ours came back: already applied). */
    void receive(String[] w) {
        if (!on) {
            return;
        }
        long fence = Long.parseLong(w[2]);
        if (w[1].equals(cluster.self())) {
            cluster.ownChangeBack(fence);
            return;
        }
        try {
            apply(w);
        } finally {
            cluster.acknowledge(w[1], fence); // applied, or nothing of it can apply here
        }
    }

    private void apply(String[] w) {
        byte[] id = Base64.getDecoder().decode(w[3]);
        if (id.length != GroupCodes.ID_BYTES) {
            return;
        }
        String name = w[4];
        long createdAt = Long.parseLong(w[5]);
        long version = Long.parseLong(w[6]);
        String flag = w[7];
        int n = Integer.parseInt(w[8]);
        Group g = directory.byId(id);
        if (g == null) {
            g = new Group(id, name, Usernames.key(name), version, createdAt);
            if (!flag.equals(DISSOLVED)) {
                if (directory.nameTakenOrReserved(g.key)) {
                    return; // another group holds the name here: the store refused one of them
                }
                directory.add(g);
            }
        }
        int at = FIXED_WORDS;
        for (int i = 0; i < n; i++, at += 2) {
            Account a = registry.byKey(w[at]);
            int role = Integer.parseInt(w[at + 1]);
            if (a != null && GroupCodes.isRole(role)) {
                directory.setRole(g, a, role);
            }
        }
        if (flag.equals(DISSOLVED) && directory.byId(id) == g) {
            directory.remove(g);
        }
        g.version = Math.max(g.version, version);
        g.issued = Math.max(g.issued, g.version);
        replaying = true;
        try {
            for (; at < w.length; at++) {
                replay(g, w[at].split(":"));
            }
        } finally {
            replaying = false;
        }
    }

    private void replay(Group g, String[] t) {
        switch (t[0]) {
            case "I": {
                Account to = registry.byKey(t[1]);
                Account from = registry.byKey(t[2]);
                if (to != null && from != null) {
                    notices.invited(to, g, from);
                }
                break;
            }
            case "C": {
                Account user = registry.byKey(t[2]);
                Account also = t[4].equals(NONE) ? null : registry.byKey(t[4]);
                if (user != null) {
                    notices.changed(g, Integer.parseInt(t[1]), user, Integer.parseInt(t[3]), also);
                }
                break;
            }
            case "O": {
                Account to = registry.byKey(t[1]);
                Account user = registry.byKey(t[3]);
                if (to != null && user != null) {
                    notices.one(to, g, Integer.parseInt(t[2]), user, Integer.parseInt(t[4]));
                }
                break;
            }
            default: break;
        }
    }
}
