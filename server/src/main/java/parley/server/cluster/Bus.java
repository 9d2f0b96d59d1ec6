package parley.server.cluster;

import java.util.concurrent.Executor;

/**
 * How registry nodes of one cluster talk (issue 16): one broadcast stream that every node reads in
 * the same total order (presence, replicated privacy changes, node heartbeats), and one directed
 * stream per node (acknowledgements, session-state reports). The single-node default is
 * {@link NoBus}: nothing is sent and the registry behaves exactly as without a cluster.
 *
 * <p>Every callback runs on the executor handed to {@link #start} (the registry's loop, through
 * its task queue, which wakes the selector at most once per burst): the loop never blocks on the
 * bus, and the bus never touches loop state. Delivery is at most once; what the registry builds
 * on top (leases, fences, resynchronisation) is in {@code parley.server.registry.Cluster} and
 * docs/SCALING.md.
 */
public interface Bus extends AutoCloseable {
    /** This node's id, unique in the cluster ({@code --node-id}). */
    String nodeId();

    /** False for the single-node default: the registry then skips every cluster step. */
    boolean clustered();

    /** Subscribes this node's streams; {@code listener} is called through {@code loop} only. */
    void start(Executor loop, Listener listener);

    /** Publishes to every node, this one included, in the broadcast stream's one order. */
    void broadcast(String message);

    /** Publishes to one node's directed stream. */
    void send(String node, String message);

    /**
     * Subscribes this node's streams again. Harmless when subscribed; the registry calls it while
     * it does not hear its own heartbeat, so a subscription lost in a reconnect is restored.
     */
    void resubscribe();

    /** Sets this node's lease key in the bus store, expiring after {@code leaseMillis} unless renewed. */
    void renewLease(long leaseMillis);

    @Override
    void close();

    /** What arrives from the bus; called on the loop. */
    interface Listener {
        void onMessage(String message);

        /** The bus connection was lost ({@code false}) or is back ({@code true}). */
        void onConnection(boolean up);
    }
}
