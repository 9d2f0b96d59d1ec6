package parley.server.registry;

import org.junit.jupiter.api.Test;
import parley.core.loop.Timer;
import parley.server.cluster.Bus;
import parley.server.store.Snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two ends of a node's serving that the privacy fence (ClusterFences) relies on, on synthetic
 * time and a fake bus: a fence on another node acknowledges a change one lease and a tenth after
 * it entered the order, trusting that a node which has not applied it by then refuses. So a node
 * must stop serving (1) the moment its lease runs out, not at its next tick, a quarter lease
 * later; and (2) the moment its subscription is lost: pub/sub keeps nothing for a lost
 * subscriber, so a change published until it subscribes again never reaches it, while its own
 * later heartbeats do and would keep it serving without the change (and without re-reading the
 * store, which a node back from a cut does first).
 */
class ClusterLeaseEdgeTest {
    private static final long LEASE = 1_000_000_000L;

    /** Synthetic time; timers are recorded, never fired (no tick runs unless a test runs one). */
    private static final class ManualTimers implements Timers {
        long now;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void schedule(Timer timer, long deadlineNanos) {
        }

        @Override
        public void cancel(Timer timer) {
        }
    }

    /** Records what the node publishes; the test delivers messages to it by hand. */
    private static final class FakeBus implements Bus {
        final List<String> published = new ArrayList<>();
        Listener listener;

        @Override
        public String nodeId() {
            return "n3";
        }

        @Override
        public boolean clustered() {
            return true;
        }

        @Override
        public void start(Executor loop, Listener listener) {
            this.listener = listener;
        }

        @Override
        public void broadcast(String message) {
            published.add(message);
        }

        @Override
        public void send(String node, String message) {
            published.add(message);
        }

        @Override
        public void resubscribe() {
        }

        @Override
        public void renewLease(long leaseMillis) {
        }

        @Override
        public void close() {
        }
    }

    private final ManualTimers timers = new ManualTimers();
    private final FakeBus bus = new FakeBus();
    private final Cluster cluster;

    ClusterLeaseEdgeTest() {
        RegistryConfig config = new RegistryConfig();
        config.bus = bus;
        config.clusterLeaseNanos = LEASE;
        cluster = new Cluster(config, new Registry(new Snapshot(new byte[32], List.of(), List.of(), List.of(), List.of())),
                timers);
        cluster.start(Runnable::run);
    }

    /** Our own heartbeat, sent at {@code sentNanos}, read back now. */
    private void ownHeartbeat(long sentNanos) {
        bus.listener.onMessage("HB n3 " + sentNanos);
    }

    @Test
    void aNodeStopsServingWhenItsLeaseEndsEvenBeforeItsNextTick() {
        ownHeartbeat(0);
        assertThat(cluster.serving()).isTrue();
        timers.now = LEASE - 1;
        assertThat(cluster.serving()).as("within the lease of its last heartbeat read back").isTrue();
        // Another node's fence on a change published at time 0 that this node never read ends here.
        timers.now = LEASE + LEASE / 10;
        assertThat(cluster.serving()).as("past the lease, with no tick run since: refuses").isFalse();
    }

    @Test
    void aNodeWhoseSubscriptionIsLostStopsServingAtOnceAndUntilItsHeartbeatIsBack() {
        ownHeartbeat(0);
        assertThat(cluster.serving()).isTrue();
        timers.now = LEASE / 8;
        bus.listener.onConnection(false);
        // A fenced change published now is lost for this node; its lease has not run out.
        assertThat(cluster.serving()).as("subscription lost: refuses at once").isFalse();
        timers.now = LEASE / 4;
        bus.listener.onConnection(true);
        assertThat(cluster.serving()).as("reconnected, own heartbeat not yet read back").isFalse();
        ownHeartbeat(LEASE / 4);
        assertThat(cluster.serving()).as("serving again once cut off and back (per-node store: no re-read)").isTrue();
    }
}
