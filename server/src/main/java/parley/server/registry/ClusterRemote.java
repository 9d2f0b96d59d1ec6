package parley.server.registry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.server.protocol.PresenceState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where users logged in on other nodes are, as read from the bus ({@link Cluster}: ON, AT, PR,
 * OFF), and the pushes their comings and goings cause here; what anyone may see of them is still
 * decided by {@link Presence#canSee}. Loop thread only.
 */
final class ClusterRemote {
    private static final Logger log = LoggerFactory.getLogger(ClusterRemote.class);

    private final String self;
    private final Registry registry;
    private final Presence presence;
    private final Sessions sessions;
    private final Relays relays;
    private final Map<String, Set<Account>> byNode = new HashMap<>();

    ClusterRemote(String self, Registry registry, Presence presence, Sessions sessions, Relays relays) {
        this.self = self;
        this.registry = registry;
        this.presence = presence;
        this.sessions = sessions;
        this.relays = relays;
    }

    void login(String node, String key, long tag, int state, boolean claims) {
        Account a = registry.byKey(key);
        if (a == null) {
            return;
        }
        Session local = a.session;
        if (node.equals(self)) {
            if (local != null && local.probeId == tag) {
                local.clusterConfirmed = true; // our login is in the order now; a later one elsewhere replaces it
            }
            return;
        }
        int[] before = presence.seenByContacts(a);
        if (local != null) {
            if (!claims || !local.clusterConfirmed) {
                return; // ours comes later in the order: the other node closes its session when it reads ours
            }
            sessions.replacedElsewhere(local);
        }
        // A report (AT) of the session we already know keeps its relayed sessions; a new one ends them.
        boolean same = node.equals(a.remoteNode) && a.remoteTag == tag;
        drop(a);
        if (!same) {
            relays.remoteEnded(a);
        }
        a.remoteNode = node;
        a.remoteTag = tag;
        a.remotePresence = state == PresenceState.AWAY ? PresenceState.AWAY : PresenceState.ONLINE;
        byNode.computeIfAbsent(node, n -> new HashSet<>()).add(a);
        registry.updatePublic(a);
        presence.pushChanges(a, before);
        relays.recheck(a);
    }

    void presence(String node, String key, long tag, int state) {
        Account a = registry.byKey(key);
        if (a != null && node.equals(a.remoteNode) && a.remoteTag == tag) {
            int[] before = presence.seenByContacts(a);
            a.remotePresence = state == PresenceState.AWAY ? PresenceState.AWAY : PresenceState.ONLINE;
            presence.pushChanges(a, before);
        }
    }

    void logout(String node, String key, long tag, long lastSeen) {
        Account a = registry.byKey(key);
        if (a != null && node.equals(a.remoteNode) && a.remoteTag == tag) {
            offline(a, lastSeen);
            Set<Account> at = byNode.get(node);
            if (at != null) {
                at.remove(a);
            }
        }
    }

    /** A remote user goes offline here, and its contacts here are told. */
    private void offline(Account a, long lastSeen) {
        int[] before = presence.seenByContacts(a);
        a.remoteNode = null;
        relays.remoteEnded(a);
        a.lastSeenMillis = lastSeen;
        registry.updatePublic(a);
        presence.pushChanges(a, before);
    }

    /**
     * Drops {@code a}'s remote presence without a push (a local login of the same user follows),
     * and the relayed sessions its remote session had here.
     */
    void forget(Account a) {
        if (a.remoteNode != null) {
            drop(a);
            relays.remoteEnded(a);
        }
    }

    private void drop(Account a) {
        if (a.remoteNode != null) {
            Set<Account> at = byNode.get(a.remoteNode);
            if (at != null) {
                at.remove(a);
            }
            a.remoteNode = null;
        }
    }

    /** The nodes some of whose users are online here. */
    List<String> nodes() {
        return new ArrayList<>(byNode.keySet());
    }

    /** A node not heard for a lease (or we are cut off): its users go offline here. */
    void lost(String node, long nowMillis) {
        Set<Account> gone = byNode.remove(node);
        if (gone == null) {
            return;
        }
        log.info("cluster node {} not heard for a lease: its {} users go offline", node, gone.size());
        for (Account a : gone) {
            if (node.equals(a.remoteNode)) {
                offline(a, nowMillis);
            }
        }
    }
}
