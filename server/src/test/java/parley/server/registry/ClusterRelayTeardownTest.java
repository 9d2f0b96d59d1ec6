package parley.server.registry;

import org.junit.jupiter.api.Test;
import parley.server.cluster.Bus;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cluster mode, the relay across nodes (PROTOCOL.md 7.13): a relayed session held on this node
 * (n2) for a requester logged in on node n1 ends when that remote session does (a login of a new
 * one, a logout), and NOT when n1 merely reports the same session again (AT, as after a cut or a
 * re-read). The bus is a queue the test pumps: no Redis, no loop thread.
 */
class ClusterRelayTeardownTest {
    /** A bus whose broadcasts come back to this node when the test pumps them. */
    static final class QueueBus implements Bus {
        final Deque<String> queue = new ArrayDeque<>();
        Listener listener;

        @Override public String nodeId() { return "n2"; }
        @Override public boolean clustered() { return true; }
        @Override public void start(Executor loop, Listener l) { this.listener = l; }
        @Override public void broadcast(String message) { queue.add(message); }
        @Override public void send(String node, String message) { }
        @Override public void resubscribe() { }
        @Override public void renewLease(long leaseMillis) { }
        @Override public void close() { }

        void pump() {
            for (String m; (m = queue.poll()) != null; ) {
                listener.onMessage(m);
            }
        }

        void deliver(String message) {
            listener.onMessage(message);
            pump();
        }
    }

    @Test
    void aRemoteRequestersRelayEndsWithItsSessionNotWithAReportOfIt() {
        QueueBus bus = new QueueBus();
        RegistryConfig config = ServerFixture.manyUsers(new RegistryConfig());
        config.bus = bus;
        try (Harness h = new Harness(config)) {
            h.rules.cluster.start(Runnable::run);
            bus.pump(); // our own heartbeat comes back: serving
            assertThat(h.rules.cluster.serving()).isTrue();
            h.connect().register("alice");
            HarnessClient bob = h.user("bob");
            bus.pump();
            Account alice = h.rules.registry.account("alice");
            Account.link(alice, bob.session.account);
            bus.deliver("ON n1 " + alice.key + " 7 0");
            assertThat(alice.remoteNode).isEqualTo("n1");

            h.rules.relays.allocateForRemote(alice, 11L, bob.session, 22L);
            assertThat(h.rules.relays.live()).isEqualTo(1);
            bus.deliver("AT n1 " + alice.key + " 7 0");
            assertThat(h.rules.relays.live()).as("a report of the same session keeps it").isEqualTo(1);
            bus.deliver("ON n1 " + alice.key + " 8 0");
            assertThat(h.rules.relays.live()).as("a new session of alice's ends it").isZero();

            h.rules.relays.allocateForRemote(alice, 12L, bob.session, 23L);
            bus.deliver("OFF n1 " + alice.key + " 8 0");
            assertThat(h.rules.relays.live()).as("her logout ends it").isZero();
        }
    }
}
