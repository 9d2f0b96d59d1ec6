package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import parley.server.protocol.PresenceState;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.client.SyncRegistryClient;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Registry nodes as real processes ({@code ./parley server --bus ... --node-id ...}) on a
 * throwaway Redis: a node killed with SIGKILL has its users seen offline by their contacts on
 * another node within the lease, and those users log in again on a surviving node; and two node
 * processes share one TCP port with {@code --reuse-port}.
 */
class ClusterProcessTest {
    @RegisterExtension
    static final RedisPerClass redis = new RedisPerClass();

    private static String[] node(String id, String... more) {
        String[] base = {"--bus", redis.uri(), "--node-id", id, "--cluster-lease", "2", "--udp-port", "0"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    /** Registers on {@code node} (each node has its own store until the shared one lands) and logs in. */
    private static SyncRegistryClient user(NodeProcess node, String name, boolean login) throws Exception {
        SyncRegistryClient c = node.client();
        ClusterPrivacyRaceTest.awaitTrue(() -> ClusterPrivacyRaceTest.call(() -> {
            return Users.tryRegister(c, name, "pw-" + name).ok();
        }));
        if (login) {
            Users.login(c, name, "pw-" + name);
        }
        return c;
    }

    @Test
    void aKilledNodesUsersGoOfflineElsewhereWithinTheLeaseAndLogInOnAnotherNode(@TempDir Path dir) throws Exception {
        try (NodeProcess n1 = new NodeProcess(dir.resolve("n1"), node("n1", "--port", "0"));
             NodeProcess n2 = new NodeProcess(dir.resolve("n2"), node("n2", "--port", "0"))) {
            assertThat(n1.ready()).as("node 1 started: %s", n1.output).isTrue();
            assertThat(n2.ready()).as("node 2 started: %s", n2.output).isTrue();
            SyncRegistryClient alice = user(n1, "alice", true);
            user(n1, "bob", false);
            user(n2, "alice", false);
            SyncRegistryClient bob = user(n2, "bob", true);
            assertThat(Users.named(alice, RegistryOpcodes.CONTACT_REQUEST, "bob").ok()).isTrue();
            ClusterPrivacyRaceTest.awaitTrue(() -> ClusterPrivacyRaceTest.call(
                    () -> Users.named(bob, RegistryOpcodes.CONTACT_ACCEPT, "alice").ok()));
            assertThat(ClusterPresenceTest.presenceOf(alice, "bob").presence()).isEqualTo(PresenceState.ONLINE);

            n2.kill();
            // No goodbye from node 2: alice learns it from the lapsed lease.
            assertThat(ClusterPresenceTest.presenceOf(alice, "bob").presence()).isEqualTo(PresenceState.OFFLINE);

            // Bob's peer moves to the surviving node and logs in there.
            SyncRegistryClient bobAgain = n1.client();
            Users.login(bobAgain, "bob", "pw-bob");
            assertThat(ClusterPresenceTest.presenceOf(alice, "bob").presence()).isEqualTo(PresenceState.ONLINE);
            assertThat(ClusterPresenceTest.contactState(bobAgain, "alice")).isEqualTo(PresenceState.ONLINE);
            alice.close();
            bob.close();
            bobAgain.close();
        }
    }

    @Test
    void twoNodeProcessesShareOneTcpPortWithReusePort(@TempDir Path dir) throws Exception {
        try (NodeProcess n1 = new NodeProcess(dir.resolve("n1"), node("n1", "--port", "0", "--reuse-port"))) {
            assertThat(n1.ready()).as("node 1 started: %s", n1.output).isTrue();
            String port = Integer.toString(n1.address.getPort());
            try (NodeProcess n2 = new NodeProcess(dir.resolve("n2"), node("n2", "--port", port, "--reuse-port"))) {
                assertThat(n2.ready()).as("node 2 bound the same port: %s", n2.output).isTrue();
                assertThat(n2.address.getPort()).isEqualTo(n1.address.getPort());
            }
            // Without the flag the port is taken, as before.
            try (NodeProcess n3 = new NodeProcess(dir.resolve("n3"), node("n3", "--port", port))) {
                assertThat(n3.ready()).isFalse();
                assertThat(n3.process.waitFor()).isEqualTo(2);
                assertThat(String.join("\n", n3.output)).contains("port " + port + "/tcp is in use");
            }
        }
    }
}
