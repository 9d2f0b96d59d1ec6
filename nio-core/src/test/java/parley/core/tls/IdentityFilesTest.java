package parley.core.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server identity on disk: generated once, 0600, reloaded identically; fingerprints parse. */
class IdentityFilesTest {
    @TempDir
    Path dir;

    @Test
    void generatedAtFirstStartThenLoadedWithTheSameKey() throws Exception {
        ServerIdentity.Loaded first = ServerIdentity.loadOrCreate(dir, "registry");
        assertThat(first.created).isTrue();
        for (String f : new String[] {ServerIdentity.CERT_FILE, ServerIdentity.KEY_FILE}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f)))).isEqualTo("rw-------");
        }
        ServerIdentity.Loaded again = ServerIdentity.loadOrCreate(dir, "registry");
        assertThat(again.created).isFalse();
        assertThat(again.identity.fingerprint()).isEqualTo(first.identity.fingerprint());
        assertThat(again.identity.certificate().getEncoded()).isEqualTo(first.identity.certificate().getEncoded());
        // the reloaded private key signs what the certificate's key verifies
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(again.identity.privateKey());
        s.update(new byte[] {1, 2, 3});
        byte[] sig = s.sign();
        s.initVerify(first.identity.certificate());
        s.update(new byte[] {1, 2, 3});
        assertThat(s.verify(sig)).isTrue();
        assertThat(first.identity.certificate().getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(first.identity.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=registry");
    }

    @Test
    void operatorPemFilesLoad() throws Exception {
        ServerIdentity id = SelfSignedCertificate.generate("op", java.time.Instant.now(), 1);
        Path cert = dir.resolve("c.pem");
        Path key = dir.resolve("k.pem");
        Pem.writeCertificates(cert, id.chain());
        Pem.writePrivateKey(key, id.privateKey());
        assertThat(Files.readString(cert)).startsWith("-----BEGIN CERTIFICATE-----\n");
        assertThat(ServerIdentity.load(cert, key).fingerprint()).isEqualTo(id.fingerprint());
        Files.writeString(key, "not a key");
        assertThatThrownBy(() -> ServerIdentity.load(cert, key)).hasMessageContaining("PRIVATE KEY");
    }

    @Test
    void fingerprintsParseInTheFormsUsersType() {
        String canonical = "SHA256:" + "ab".repeat(32);
        assertThat(Fingerprint.parse("ab".repeat(32))).isEqualTo(canonical);
        assertThat(Fingerprint.parse(" sha256:" + "AB:".repeat(31) + "AB ")).isEqualTo(canonical);
        assertThatThrownBy(() -> Fingerprint.parse("abc")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ChannelBinding.hashFor("SHA384withECDSA")).isEqualTo("SHA-384");
        assertThat(ChannelBinding.hashFor("SHA1withRSA")).isEqualTo("SHA-256");
        assertThat(ChannelBinding.hashFor("Ed25519")).isEqualTo("SHA-256");
    }
}
