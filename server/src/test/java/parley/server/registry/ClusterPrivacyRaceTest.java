package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import parley.server.cluster.DelayedBus;
import parley.server.cluster.RedisBus;
import parley.server.policy.Visibility;
import parley.server.protocol.PresenceState;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.client.SyncRegistryClient;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The privacy race across nodes (issue 16): alice on node 1 narrows what bob may see while bob,
 * on node 2, asks about her as fast as he can, and node 2 reads the bus late (its deliveries are
 * delayed). Every answer to a request bob sent after alice held her acknowledgement must already
 * withhold what the change withholds: no disclosure after the acknowledgement.
 */
class ClusterPrivacyRaceTest {
    /** Node 2 reads the bus this late: far longer than a request's round trip on loopback. */
    static final long SLOW_NODE_MILLIS = 400;
    @RegisterExtension
    static final RedisPerClass redis = new RedisPerClass();

    @Test
    void noNodeDisclosesAfterAVisibilityChangeOrABlockIsAcknowledged(@TempDir Path dir) throws Exception {
        try (ClusterNode n1 = ClusterNode.redis("n1", redis.uri(), dir.resolve("n1"));
             ClusterNode n2 = new ClusterNode("n2", new DelayedBus(RedisBus.connect(redis.uri(), "n2"), SLOW_NODE_MILLIS),
                     dir.resolve("n2"))) {
            ClusterNode.userOnEveryNode(new ClusterNode[] {n1, n2}, "alice", "bob");
            SyncRegistryClient alice = n1.login("alice");
            SyncRegistryClient bob = n2.login("bob");
            assertThat(Users.named(alice, RegistryOpcodes.CONTACT_REQUEST, "bob").ok()).isTrue();
            awaitTrue(() -> call(() -> Users.named(bob, RegistryOpcodes.CONTACT_ACCEPT, "alice").ok()));
            awaitTrue(() -> call(() -> ClusterPresenceTest.contactState(bob, "alice") == PresenceState.ONLINE));

            // Visibility "nobody": bob must see alice offline in every answer after her acknowledgement.
            List<String> leaks = race(bob, () -> alice.call(RegistryOpcodes.SET_VISIBILITY,
                    w -> w.u8(Visibility.NOBODY.code())).ok(),
                    () -> ClusterPresenceTest.contactState(bob, "alice") == PresenceState.ONLINE ? "CONTACTS shows alice online" : null);
            assertThat(leaks).isEmpty();

            assertThat(alice.call(RegistryOpcodes.SET_VISIBILITY, w -> w.u8(Visibility.CONTACTS.code())).ok()).isTrue();
            awaitTrue(() -> call(() -> ClusterPresenceTest.contactState(bob, "alice") == PresenceState.ONLINE));

            // A block: to bob, alice must not exist in any answer after her acknowledgement.
            leaks = race(bob, () -> Users.named(alice, RegistryOpcodes.BLOCK, "bob").ok(),
                    () -> Users.search(bob, "alice").contains("alice") ? "SEARCH lists alice" : null);
            assertThat(leaks).isEmpty();
        }
    }

    interface Check {
        String leak() throws Exception;
    }

    interface Change {
        boolean apply() throws Exception;
    }

    /** Runs {@code change} while bob's thread runs {@code check} in a loop; returns the leaks seen after the ack. */
    static List<String> race(SyncRegistryClient bob, Change change, Check check) throws Exception {
        AtomicBoolean acked = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        List<String> leaks = new ArrayList<>();
        int[] afterAck = new int[1];
        CountDownLatch asking = new CountDownLatch(1);
        Thread hammer = new Thread(() -> {
            try {
                while (!stop.get()) {
                    boolean sentAfterAck = acked.get();
                    String leak = check.leak();
                    asking.countDown();
                    if (sentAfterAck) {
                        afterAck[0]++;
                        if (leak != null) {
                            leaks.add(leak);
                        }
                    }
                }
            } catch (Exception | AssertionError e) {
                leaks.add("bob's client failed: " + e);
            }
        }, "bob-hammer");
        hammer.start();
        assertThat(asking.await(20, TimeUnit.SECONDS)).as("bob is asking before the change starts").isTrue();
        assertThat(change.apply()).as("the change is acknowledged").isTrue();
        acked.set(true);
        // Keep asking well past the slow node's delay: a leak would show in this window.
        Thread.sleep(3 * SLOW_NODE_MILLIS);
        stop.set(true);
        hammer.join(20_000);
        assertThat(afterAck[0]).as("bob asked after the acknowledgement").isPositive();
        return leaks;
    }

    interface Probe {
        boolean test() throws Exception;
    }

    /** The probe's answer; false while it fails (a refused request, a node not serving yet). */
    static boolean call(Probe p) {
        try {
            return p.test();
        } catch (Exception | AssertionError e) {
            return false;
        }
    }

    static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached");
            }
            Thread.sleep(20);
        }
    }
}
