package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.server.protocol.client.SyncRegistryClient;
import parley.server.policy.Visibility;
import parley.server.protocol.RegistryOpcodes;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real server process is killed with SIGKILL right after acknowledging changes. Restarted on
 * the same data directory, it still has every acknowledged account, contact, visibility and block.
 */
class KillRestartTest {
    private static final Pattern READY = Pattern.compile("listening on tcp ([0-9.]+):(\\d+), udp");

    @TempDir
    Path data;

    static final class ServerProcess implements AutoCloseable {
        final Process process;
        final InetSocketAddress address;
        /** Trusts exactly the key the server printed (the one in its data directory). */
        final parley.core.tcp.TlsConfig tls;

        ServerProcess(Path data, String... extraArgs) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                    "parley.server.ServerMain", "--port", "0", "--udp-port", "0", "--data", data.toString()));
            command.addAll(List.of(extraArgs));
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            InetSocketAddress found = null;
            String fingerprint = null;
            for (String line; found == null && (line = out.readLine()) != null; ) {
                if (line.startsWith(parley.server.ServerMain.FINGERPRINT_LINE)) {
                    fingerprint = line.substring(parley.server.ServerMain.FINGERPRINT_LINE.length());
                }
                Matcher m = READY.matcher(line);
                if (m.find()) {
                    found = new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
                }
            }
            assertThat(found).as("the server printed its ready line").isNotNull();
            address = found;
            assertThat(fingerprint).as("the server printed its key fingerprint").isNotNull();
            tls = parley.server.protocol.client.TestTls.clientPinned(fingerprint);
            Thread drain = new Thread(() -> drain(out), "server-output");
            drain.setDaemon(true);
            drain.start();
        }

        void kill() throws Exception {
            process.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }

        @Override
        public void close() throws Exception {
            if (process.isAlive()) {
                process.destroy(); // SIGTERM: the graceful path
                assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(process.exitValue()).as("exit code after SIGTERM").isZero();
            }
        }
    }

    @Test
    void acknowledgedChangesSurviveKillDashNine() throws Exception {
        try (ServerProcess first = new ServerProcess(data)) {
            try (SyncRegistryClient alice = new SyncRegistryClient(first.address, first.tls);
                 SyncRegistryClient bob = new SyncRegistryClient(first.address, first.tls);
                 SyncRegistryClient carol = new SyncRegistryClient(first.address, first.tls)) {
                for (Object[] u : new Object[][] {{alice, "alice"}, {bob, "bob"}, {carol, "carol"}}) {
                    Users.register((SyncRegistryClient) u[0], (String) u[1], "pw-" + u[1]);
                    Users.login((SyncRegistryClient) u[0], (String) u[1], "pw-" + u[1]);
                }
                Users.makeContacts(alice, "alice", bob, "bob");
                assertThat(Users.named(carol, RegistryOpcodes.CONTACT_REQUEST, "alice").ok()).isTrue();
                assertThat(alice.call(RegistryOpcodes.SET_VISIBILITY, w -> w.u8(Visibility.NOBODY.code())).ok()).isTrue();
                assertThat(Users.named(bob, RegistryOpcodes.BLOCK, "carol").ok()).isTrue();
                first.kill();
            }
        }
        try (ServerProcess second = new ServerProcess(data);
             SyncRegistryClient alice = new SyncRegistryClient(second.address, second.tls);
             SyncRegistryClient bob = new SyncRegistryClient(second.address, second.tls)) {
            assertThat(Users.login(alice, "alice", "pw-alice").visibility).isEqualTo(Visibility.NOBODY.code());
            Users.login(bob, "bob", "pw-bob");
            Users.ContactList a = Users.contacts(alice);
            assertThat(a.contacts).containsExactly("bob");
            assertThat(a.incoming).containsExactly("carol");
            Users.ContactList b = Users.contacts(bob);
            assertThat(b.contacts).containsExactly("alice");
            assertThat(b.blocked).containsExactly("carol");
            assertThat(Users.tryLogin(new SyncRegistryClient(second.address, second.tls), "alice", "wrong").ok()).isFalse();
            List<String> found = Users.search(bob, "carol");
            assertThat(found).containsExactly("carol");
        }
    }

    /** Reads a child's output until it closes, so the child never blocks on a full pipe. */
    static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // discarded: only the ready line matters
            }
        } catch (java.io.IOException closed) {
            // the child ended or the stream was closed with it
        }
    }
}
