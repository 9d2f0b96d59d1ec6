package parley.peer.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.tls.SelfSignedCertificate;
import parley.core.tls.ServerIdentity;
import parley.core.tls.TlsContexts;
import parley.peer.PeerMain;
import parley.peer.core.PeerConfig;
import parley.peer.core.RegistryTls;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18: trust on first use pins the registry's key in {@code <data>/known-servers}; a registry
 * that comes back with another key is refused loudly, and accepted after the explicit
 * {@code --forget-server} command.
 */
class ServerKeyChangeTest {
    @TempDir
    Path dir;

    private PeerConfig tofu(TestRegistry r, Path data) {
        PeerConfig c = TestPeer.config("amy", r.address(), data);
        c.registryUdpPort = r.udpPort();
        c.serverFingerprint = null; // trust on first use
        return c;
    }

    @Test
    void aChangedKeyIsRefusedThenAcceptedAfterForgetServer() throws Exception {
        Path data = dir.resolve("amy");
        try (TestRegistry r = new TestRegistry(dir.resolve("registry"))) {
            try (TestPeer amy = TestPeer.start(tofu(r, data))) {
                amy.signUp();
            }
            Path pins = RegistryTls.knownServers(data);
            String server = "127.0.0.1:" + r.address().getPort();
            assertThat(Files.readString(pins)).contains(server);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pins))).isEqualTo("rw-------");

            r.stop();
            ServerIdentity other = SelfSignedCertificate.generate("new-key", Instant.now().minus(1, ChronoUnit.DAYS), 30);
            r.restart(TlsContexts.server(other));

            try (TestPeer amy = TestPeer.start(tofu(r, data))) {
                Seen refused = amy.await("error", "code", "SERVER_KEY_CHANGED");
                assertThat(String.valueOf(refused.get("message")))
                        .contains(other.fingerprint())
                        .contains("--forget-server " + server);
                assertThat(amy.seen("logged_in")).isEmpty();
            }

            int exit = new CommandLine(new PeerMain()).execute("--data", data.toString(), "--forget-server", server);
            assertThat(exit).isZero();

            try (TestPeer amy = TestPeer.start(tofu(r, data))) {
                amy.logIn();
            }
            assertThat(Files.readString(pins)).contains(other.fingerprint());
        }
    }
}
