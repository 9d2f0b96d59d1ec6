package parley.server.registry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.loop.Timer;
import parley.server.cluster.Bus;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * This node's part in a cluster of registry nodes (issue 16, docs/SCALING.md). Every node holds
 * the whole account graph in memory; the bus keeps the copies in step:
 * <ul>
 * <li>presence: a login, a presence change and a logout are broadcast (ON, PR, OFF) and every
 *     node records where each remote user is online ({@code Account.remoteNode}); privacy is then
 *     decided by the same {@link Presence#canSee} on every node, over the same replicated state;</li>
 * <li>privacy changes (visibility, block, contact removal, group removals) are broadcast and FENCED: the
 *     requester's acknowledgement waits until every live node applied them (ACK) or a lease
 *     passed ({@link ClusterFences}), so no node discloses anything after the acknowledgement;</li>
 * <li>a second login elsewhere wins by the broadcast order: a node that reads another node's ON
 *     for a user whose own ON it has already read closes its session (SESSION_REPLACED);</li>
 * <li>node leases: each node broadcasts a heartbeat (HB) every quarter lease and renews its lease
 *     key; a node not heard for a lease is gone and its users go offline; a node that has not read
 *     its own heartbeat back for a lease is cut off and refuses (BUS_UNAVAILABLE) until it has;</li>
 * <li>on a store shared by the nodes (PostgreSQL): new accounts, identity bundles and mailbox
 *     changes are told too ({@link ClusterAccounts}), and a node back from a cut re-reads the store
 *     before it serves ({@link ClusterResync}); group changes are told as they commit
 *     ({@link ClusterGroups}).</li>
 * </ul>
 * Messages are ASCII words separated by spaces (user names never hold a space); a malformed one
 * is dropped. Loop thread only.
 */
final class Cluster {
    private static final Logger log = LoggerFactory.getLogger(Cluster.class);

    private final Bus bus;
    private final String self;
    private final Registry registry;
    private final Timers timers;
    private final RegistryConfig config;
    private final long lease;
    private final ClusterFences fences;
    private final Map<String, Long> heard = new HashMap<>();
    /** Changes whose fence never reached the bus: broadcast again once it is back. */
    private final List<String> unconfirmed = new ArrayList<>();
    private final Timer tick;
    private long healthyUntil = Long.MIN_VALUE;
    /** Since when we have heard every live node's heartbeats (start, or the end of a cut). */
    private long listeningSince;
    private boolean healthy;
    private ClusterPrivacyChanges privacyChanges;
    private Sessions sessions;
    private Relays relays;
    private ClusterIntroductions introductions;
    private ClusterAccounts accounts;
    private ClusterRemote remote;
    private ClusterResync resync;
    private ClusterGroups groups;

    Cluster(RegistryConfig config, Registry registry, Timers timers) {
        this.bus = config.bus;
        this.self = bus.nodeId();
        this.registry = registry;
        this.timers = timers;
        this.config = config;
        this.lease = config.clusterLeaseNanos;
        this.fences = new ClusterFences(timers, lease);
        this.tick = new Timer(this::onTick);
        this.listeningSince = timers.nanoTime();
    }

    void wire(Presence presence, Contacts contacts, Sessions sessions, Relays relays, ClusterIntroductions introductions) {
        this.introductions = introductions;
        this.privacyChanges = new ClusterPrivacyChanges(this, registry, presence, contacts);
        this.sessions = sessions;
        this.relays = relays;
        this.remote = new ClusterRemote(self, registry, presence, sessions, relays);
    }

    void wire(ClusterAccounts accounts, ClusterResync resync, ClusterGroups groups) {
        this.accounts = accounts;
        this.resync = resync;
        this.groups = groups;
    }

    /** A message to every node (and back to us, in the one order). */
    void broadcast(String message) {
        bus.broadcast(message);
    }

    boolean clustered() {
        return bus.clustered();
    }

    /**
     * Whether requests may be served: always alone; in a cluster, while our own heartbeat comes
     * back. The lease end is checked here, at the request, not only at the next tick: a fence on
     * another node ends one lease and a tenth after its change entered the order, and a tick a
     * quarter lease late would let this node serve past that without the change.
     */
    boolean serving() {
        return !bus.clustered() || (healthy && timers.nanoTime() < healthyUntil);
    }

    /** Subscribes and starts the heartbeat; {@code loop} runs every bus callback. */
    void start(java.util.concurrent.Executor loop) {
        if (!bus.clustered()) {
            return;
        }
        bus.start(loop, new Bus.Listener() {
            @Override
            public void onMessage(String message) {
                receive(message);
            }

            @Override
            public void onConnection(boolean up) {
                log.info("cluster bus {}", up ? "connected" : "lost; refusing until it is back and the store re-read");
                if (up) {
                    bus.resubscribe();
                    heartbeat();
                } else if (healthy) {
                    // Pub/sub keeps nothing for a lost subscriber: what is published until we
                    // subscribe again (a fenced change among it) never reaches us, yet our own
                    // later heartbeats would. Cut off now, so we re-read the store before serving.
                    cutOff();
                }
            }
        });
        onTick(timers.nanoTime());
    }

    // ---- what this node tells the others ---------------------------------------------------------

    void sessionStarted(Account a, Session s) {
        if (bus.clustered()) {
            remote.forget(a);
            bus.broadcast("ON " + self + " " + a.key + " " + s.probeId + " " + s.presence);
        }
    }

    void presenceChanged(Account a, Session s) {
        if (bus.clustered()) {
            bus.broadcast("PR " + self + " " + a.key + " " + s.probeId + " " + s.presence);
        }
    }

    void sessionEnded(Account a, Session s) {
        if (bus.clustered()) {
            bus.broadcast("OFF " + self + " " + a.key + " " + s.probeId + " " + a.lastSeenMillis);
        }
    }

    /**
     * A change already stored and applied here, told to every node; {@code then} acknowledges it
     * to the requester. With {@code fenced} (it narrows what others may see), only once every
     * live node has applied it ({@link ClusterFences}); {@code failed} answers if it never
     * reached the bus. {@code change} is "KIND a b" in user keys.
     */
    void replicate(String change, boolean fenced, Runnable then, Runnable failed) {
        if (!bus.clustered()) {
            then.run();
            return;
        }
        if (!fenced) {
            bus.broadcast(change + " " + self + " 0");
            then.run();
            return;
        }
        replicateFenced(fence -> change + " " + self + " " + fence, then, failed);
    }

    /**
     * A narrowing group change (ClusterGroups: a kick, a leave, a dissolve), fenced as
     * {@link #replicate} fences a block: {@code message} builds the whole bus message around a
     * fence id (0 for none, as it is sent again after a cut).
     */
    void replicateFenced(java.util.function.LongFunction<String> message, Runnable then, Runnable failed) {
        if (!bus.clustered()) {
            then.run();
            return;
        }
        ClusterFences.Fence f = fences.open(message.apply(0), then, failed, this::lost);
        bus.broadcast(message.apply(f.id));
    }

    /** A fenced change never read back from the bus: answered BUS_UNAVAILABLE, sent again unfenced once we serve. */
    private void lost(ClusterFences.Fence f) {
        unconfirmed.add(f.message);
        f.failed.run();
    }

    /** Our own fenced change came back in the stream's order: its fence now waits for the live nodes. */
    void ownChangeBack(long fence) {
        if (fence != 0) {
            fences.arm(fence, liveNodes(), timers.nanoTime() - listeningSince >= lease);
        }
    }

    /** A fenced change from {@code origin} is applied here: tell it so. */
    void acknowledge(String origin, long fence) {
        if (fence != 0) {
            bus.send(origin, "ACK " + self + " " + fence);
        }
    }

    // ---- what the others tell this node ----------------------------------------------------------

    private void receive(String message) {
        String[] w = message.split(" ");
        if (resync != null && resync.holds(w[0], message)) {
            return; // applied once the store has been read again
        }
        try {
            switch (w[0]) {
                case "HB": heard(w[1], Long.parseLong(w[2])); break;
                case "SYNC": if (!w[1].equals(self)) report(w[1]); break;
                case "ON": remote.login(w[1], w[2], Long.parseLong(w[3]), Integer.parseInt(w[4]), true); break;
                case "AT": remote.login(w[1], w[2], Long.parseLong(w[3]), Integer.parseInt(w[4]), false); break;
                case "PR": remote.presence(w[1], w[2], Long.parseLong(w[3]), Integer.parseInt(w[4])); break;
                case "OFF": remote.logout(w[1], w[2], Long.parseLong(w[3]), Long.parseLong(w[4])); break;
                case "ACK": fences.acked(Long.parseLong(w[2]), w[1]); break;
                case "INV": invited(w); break;
                case "RDY": introductions.ready(Integer.parseInt(w[2]), Base64.getDecoder().decode(w[3])); break;
                case "DEC": introductions.refused(Integer.parseInt(w[2]), w[3]); break;
                case ClusterGroups.KIND: groups.receive(w); break;
                default: if (accounts == null || !accounts.receive(w)) privacyChanges.apply(w); break;
            }
        } catch (RuntimeException e) {
            log.debug("dropped a malformed bus message ({}): {}", e.toString(), message);
        }
    }

    /** INV origin id from to sessionId body: an introduction from a user on {@code origin} to one here. */
    private void invited(String[] w) {
        Account from = registry.byKey(w[3]);
        Account to = registry.byKey(w[4]);
        int originId = Integer.parseInt(w[2]);
        byte[] body = Base64.getDecoder().decode(w[6]);
        if (from == null || to == null || body.length < Integer.BYTES) {
            introductions.refuse(w[1], originId, "went offline");
            return;
        }
        introductions.invited(w[1], originId, from, to, Long.parseLong(w[5]), body);
    }

    String self() {
        return self;
    }

    void send(String node, String message) {
        bus.send(node, message);
    }

    /** A node that (re)joined asks for our sessions: AT reports, which never replace a session. */
    private void report(String node) {
        for (Session s : registry.liveSessions()) {
            Account a = s.account;
            if (a != null && a.session == s) {
                bus.send(node, "AT " + self + " " + a.key + " " + s.probeId + " " + s.presence);
            }
        }
    }

    // ---- leases ----------------------------------------------------------------------------------

    private void heartbeat() {
        bus.broadcast("HB " + self + " " + timers.nanoTime());
        bus.renewLease(lease / 1_000_000);
    }

    private void heard(String node, long sentNanos) {
        long now = timers.nanoTime();
        if (!node.equals(self)) {
            if (heard.put(node, now) == null && healthy) {
                // A node new to us (started, or back from a cut): it may have missed our logins.
                report(node);
            }
            return;
        }
        // Our own heartbeat came back: we read everything published before it was sent. The lease
        // counts from when we sent it, so a late delivery never extends it.
        healthyUntil = Math.max(healthyUntil, sentNanos + lease);
        if (!healthy && now < healthyUntil && (resync == null || !resync.reading())) {
            if (resync == null || !resync.needed()) {
                serve(now);
                return;
            }
            // On a shared store, what was missed on the bus meanwhile is read from the store first.
            reread(() -> { });
        }
    }

    /**
     * Memory lacks an account the shared store has (ClusterResync#fresh): stop serving and re-read
     * the store as after a cut, then run {@code then}. Already re-reading: {@code then} at once.
     */
    void missed(Runnable then) {
        if (resync.reading()) {
            then.run();
            return;
        }
        log.warn("cluster node {} missed an account on the bus: re-reading the store before serving on", self);
        healthy = false;
        reread(then);
    }

    private void reread(Runnable then) {
        resync.reread((ok, held) -> {
            long at = timers.nanoTime();
            if (ok && at < healthyUntil) {
                serve(at);
            }
            held.forEach(this::receive);
            then.run();
        });
    }

    private void serve(long now) {
        healthy = true;
        log.info("cluster node {} is serving", self);
        // Reports sent while we were cut off may have been lost: every node is new to us again,
        // and gets our sessions at its next heartbeat.
        heard.clear();
        listeningSince = now;
        bus.broadcast("SYNC " + self);
        for (String m : unconfirmed) {
            bus.broadcast(m);
        }
        unconfirmed.clear();
    }

    private void onTick(long now) {
        if (!healthy) {
            bus.resubscribe(); // a reconnect may have come back without our subscriptions
        }
        heartbeat();
        for (String node : new ArrayList<>(heard.keySet())) {
            if (heard.get(node) + lease <= now) {
                nodeLost(node);
            }
        }
        if (healthy && now >= healthyUntil) {
            log.warn("cluster node {} has not heard its own heartbeat for a lease: refusing until the bus is back", self);
            cutOff();
        }
        timers.schedule(tick, now + lease / 4);
    }

    /** Stops serving until our own heartbeat comes back (and, on a shared store, the store is re-read). */
    private void cutOff() {
        healthy = false;
        if (remote != null) {
            for (String node : remote.nodes()) {
                nodeLost(node);
            }
        }
        heard.clear();
    }

    private void nodeLost(String node) {
        heard.remove(node);
        remote.lost(node, config.wallClockMillis.getAsLong());
    }

    private Set<String> liveNodes() {
        long now = timers.nanoTime();
        Set<String> live = new HashSet<>();
        for (Map.Entry<String, Long> e : heard.entrySet()) {
            if (e.getValue() + lease > now) {
                live.add(e.getKey());
            }
        }
        return live;
    }

    void close() {
        timers.cancel(tick);
    }
}
