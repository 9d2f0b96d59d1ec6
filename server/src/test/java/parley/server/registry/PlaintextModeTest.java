package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.loop.NanoClock;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.client.SyncRegistryClient;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The plaintext suite: {@code --insecure-plaintext} (RegistryConfig.tls null) still serves the
 * whole protocol, a TLS client cannot talk to it, and a plaintext client cannot talk to a TLS
 * registry. Every other registry test runs over TLS.
 */
class PlaintextModeTest {
    @TempDir
    Path dir;

    @Test
    void aPlaintextRegistryServesRegisterLoginAndContacts() throws Exception {
        try (ServerFixture fx = new ServerFixture(dir, ServerFixture.manyUsers(new RegistryConfig()), NanoClock.SYSTEM, false)) {
            SyncRegistryClient amy = fx.user("amy");
            SyncRegistryClient bob = fx.user("bob");
            Users.makeContacts(amy, "amy", bob, "bob");
            assertThat(amy.call(RegistryOpcodes.CONTACTS).ok()).isTrue();
            assertThat(amy.isTls()).isFalse();
        }
    }

    @Test
    void aTlsClientIsRefusedByAPlaintextRegistryAndAPlaintextClientByATlsOne() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("p"));
        java.nio.file.Files.createDirectories(dir.resolve("t"));
        try (ServerFixture plain = new ServerFixture(dir.resolve("p"), new RegistryConfig(), NanoClock.SYSTEM, false);
             ServerFixture tls = new ServerFixture(dir.resolve("t"), new RegistryConfig())) {
            assertThatThrownBy(() -> new SyncRegistryClient(plain.server.tcpAddress()).close())
                    .hasMessageContaining("connect failed");
            // The TLS registry reads a frame header as a TLS record and fails the handshake.
            SyncRegistryClient clear = SyncRegistryClient.plaintext(tls.server.tcpAddress());
            assertThat(clear.call(RegistryOpcodes.WHO).ok()).isFalse();
            clear.close();
        }
    }
}
