package parley.server.registry;

import parley.core.loop.Timer;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Privacy changes waiting for the cluster before they are acknowledged (docs/SCALING.md,
 * "Privacy across nodes"). A fence is armed when this node reads its own change back from the
 * broadcast stream, which proves the change is in the stream's order; it then waits for an
 * acknowledgement from every node heard within the lease, or for one lease plus a margin, after
 * which any node that has not applied the change has also not heard its own heartbeat back and
 * refuses every request (BUS_UNAVAILABLE). Loop thread only.
 */
final class ClusterFences {
    /** A fence not armed within this many leases failed to reach the bus: its change is answered BUS_UNAVAILABLE. */
    static final int PUBLISH_LEASES = 2;

    /** One change waiting; {@code then} acknowledges it, {@code failed} answers BUS_UNAVAILABLE. */
    static final class Fence {
        final long id;
        /** The change as sent again, unfenced, if it never came back from the bus. */
        final String message;
        final Runnable then;
        final Runnable failed;
        final Set<String> waiting = new HashSet<>();
        Timer deadline;
        boolean armed;

        Fence(long id, String message, Runnable then, Runnable failed) {
            this.id = id;
            this.message = message;
            this.then = then;
            this.failed = failed;
        }
    }

    /** Stands for nodes we may not know of yet; no node has this id (ids have no spaces). */
    private static final String UNKNOWN = " unknown";
    private final Timers timers;
    private final long leaseNanos;
    private final Map<Long, Fence> open = new HashMap<>();
    private long nextId = 1;

    ClusterFences(Timers timers, long leaseNanos) {
        this.timers = timers;
        this.leaseNanos = leaseNanos;
    }

    /** A new fence whose change has just been published; fails if not read back in time. */
    Fence open(String unfencedMessage, Runnable then, Runnable failed, java.util.function.Consumer<Fence> onPublishTimeout) {
        long id = nextId++;
        Fence f = new Fence(id, unfencedMessage, then, failed);
        open.put(id, f);
        f.deadline = new Timer(now -> {
            if (open.remove(id) != null) {
                onPublishTimeout.accept(f);
            }
        });
        timers.schedule(f.deadline, timers.nanoTime() + PUBLISH_LEASES * leaseNanos);
        return f;
    }

    /**
     * Our change came back in the stream's order: wait for {@code nodes}, for one lease at most.
     * Unless {@code membershipKnown} (we have listened for a whole lease since we started or were
     * cut off), a live node may be missing from {@code nodes}: then the whole lease is waited.
     */
    void arm(long id, Set<String> nodes, boolean membershipKnown) {
        Fence f = open.get(id);
        if (f == null || f.armed) {
            return;
        }
        f.armed = true;
        f.waiting.addAll(nodes);
        if (!membershipKnown) {
            f.waiting.add(UNKNOWN); // never acknowledges: only the deadline ends this fence
        }
        timers.cancel(f.deadline);
        if (f.waiting.isEmpty()) {
            done(f);
            return;
        }
        // A node that has not applied the change one lease after it entered the order has not
        // heard its own heartbeat back since, and so refuses; a tenth more covers clock-rate drift.
        f.deadline = new Timer(now -> done(f));
        timers.schedule(f.deadline, timers.nanoTime() + leaseNanos + leaseNanos / 10);
    }

    void acked(long id, String node) {
        Fence f = open.get(id);
        if (f != null && f.armed && f.waiting.remove(node) && f.waiting.isEmpty()) {
            done(f);
        }
    }

    private void done(Fence f) {
        if (open.remove(f.id) != null) {
            timers.cancel(f.deadline);
            f.then.run();
        }
    }

    int pending() {
        return open.size();
    }
}
