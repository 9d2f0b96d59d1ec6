package parley.server.auth;

import parley.server.protocol.scram.ScramClient;
import parley.server.protocol.scram.ScramCrypto;
import parley.server.protocol.scram.ScramException;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both SCRAM sides against docs/vectors/scram.json, which a separate program wrote from
 * PROTOCOL.md sections 7.1 and 7.6 alone: every message and every derived key.
 */
class ScramVectorsTest {
    private static final Pattern ENTRY = Pattern.compile("\"([\\w.]+)\"\\s*:\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|(-?\\d+))");

    private static Map<String, String> load() throws Exception {
        Path file = Path.of("..", "docs", "vectors", "scram.json");
        if (!Files.exists(file)) {
            file = Path.of("docs", "vectors", "scram.json");
        }
        Map<String, String> v = new HashMap<>();
        Matcher m = ENTRY.matcher(Files.readString(file, StandardCharsets.UTF_8));
        while (m.find()) {
            v.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
        }
        return v;
    }

    private static byte[] hex(Map<String, String> v, String key) {
        return HexFormat.of().parseHex(v.get(key));
    }

    @Test
    void registrationKeysMatch() throws Exception {
        Map<String, String> v = load();
        byte[] salt = hex(v, "salt");
        int iterations = Integer.parseInt(v.get("iterations"));
        byte[] salted = ScramCredentials.saltedPassword(v.get("password"), salt, iterations);
        assertThat(salted).isEqualTo(hex(v, "salted_password"));
        assertThat(ScramCrypto.hmac(salted, ScramCrypto.CLIENT_KEY)).isEqualTo(hex(v, "client_key"));
        ScramCredentials c = ScramCredentials.derive(v.get("password"), salt, iterations);
        assertThat(c.storedKey()).isEqualTo(hex(v, "stored_key"));
        assertThat(c.serverKey()).isEqualTo(hex(v, "server_key"));
    }

    @Test
    void clientSendsTheVectorMessages() throws Exception {
        Map<String, String> v = load();
        ScramClient client = new ScramClient(v.get("username"), v.get("password"), v.get("client_nonce"));
        assertThat(client.clientFirst()).isEqualTo(v.get("client_first"));
        assertThat(client.clientFinal(v.get("server_first"))).isEqualTo(v.get("client_final"));
        client.verifyServerFinal(v.get("server_final"));
        assertThat(client.isServerVerified()).isTrue();
    }

    @Test
    void aMissingNonceIsReportedAsSuchNotBlamedOnTheGs2Header() {
        ScramServer server = new ScramServer("parleyServerNonce6543210");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> server.clientFirst("n,,n=alice"))
                .isInstanceOf(ScramException.class)
                .hasMessageContaining("attribute r")
                .hasMessageNotContaining("gs2")
                .extracting(e -> ((ScramException) e).code()).isEqualTo(parley.server.protocol.RegistryErrors.AUTH_MALFORMED);
    }

    @Test
    void serverAnswersTheVectorMessagesFromStoredKeysOnly() throws Exception {
        Map<String, String> v = load();
        ScramCredentials stored = new ScramCredentials(hex(v, "salt"), Integer.parseInt(v.get("iterations")),
                hex(v, "stored_key"), hex(v, "server_key"));
        ScramServer server = new ScramServer(v.get("server_nonce"));
        assertThat(server.clientFirst(v.get("client_first"))).isEqualTo(v.get("username"));
        assertThat(server.serverFirst(stored, false)).isEqualTo(v.get("server_first"));
        assertThat(server.clientFinal(v.get("client_final"))).isEqualTo(v.get("server_final"));
        assertThat(server.isAuthenticated()).isTrue();
    }

    // ---- SCRAM-SHA-256-PLUS with tls-server-end-point (PROTOCOL.md "TLS") ----

    @Test
    void plusClientSendsTheVectorMessagesWithTheBinding() throws Exception {
        Map<String, String> v = load();
        ScramClient client = new ScramClient(v.get("username"), v.get("password"), v.get("client_nonce"),
                hex(v, "plus_cbind_data"));
        assertThat(client.clientFirst()).isEqualTo(v.get("plus_client_first"));
        assertThat(client.clientFinal(v.get("server_first"))).isEqualTo(v.get("plus_client_final"));
        client.verifyServerFinal(v.get("plus_server_final"));
        assertThat(parley.core.tls.ChannelBinding.class).isNotNull();
        assertThat(java.security.MessageDigest.getInstance("SHA-256").digest(hex(v, "plus_certificate_der")))
                .isEqualTo(hex(v, "plus_cbind_data"));
    }

    private static ScramServer plusServer(Map<String, String> v, byte[] binding, boolean required) {
        return new ScramServer(v.get("server_nonce"), binding, required);
    }

    private static ScramCredentials credentials(Map<String, String> v) {
        return ScramCredentials.derive(v.get("password"), hex(v, "salt"), Integer.parseInt(v.get("iterations")));
    }

    @Test
    void plusServerAcceptsTheVectorWithItsOwnBinding() throws Exception {
        Map<String, String> v = load();
        ScramServer server = plusServer(v, hex(v, "plus_cbind_data"), true);
        server.clientFirst(v.get("plus_client_first"));
        assertThat(server.serverFirst(credentials(v), false)).isEqualTo(v.get("server_first"));
        assertThat(server.clientFinal(v.get("plus_client_final"))).isEqualTo(v.get("plus_server_final"));
    }

    @Test
    void aBindingFromAnotherCertificateIsAMismatch() throws Exception {
        Map<String, String> v = load();
        byte[] other = hex(v, "plus_cbind_data");
        other[0] ^= 1; // the server behind a TLS-terminating proxy sees its own certificate, not the proxy's
        ScramServer server = plusServer(v, other, true);
        server.clientFirst(v.get("plus_client_first"));
        server.serverFirst(credentials(v), false);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> server.clientFinal(v.get("plus_client_final")))
                .isInstanceOf(ScramException.class)
                .extracting(e -> ((ScramException) e).code())
                .isEqualTo(parley.server.protocol.RegistryErrors.CHANNEL_BINDING_MISMATCH);
    }

    @Test
    void onTlsALoginWithoutBindingIsRefusedUnlessAllowed() throws Exception {
        Map<String, String> v = load();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> plusServer(v, hex(v, "plus_cbind_data"), true).clientFirst(v.get("client_first")))
                .isInstanceOf(ScramException.class)
                .extracting(e -> ((ScramException) e).code())
                .isEqualTo(parley.server.protocol.RegistryErrors.CHANNEL_BINDING_REQUIRED);
        ScramServer allowed = plusServer(v, hex(v, "plus_cbind_data"), false);
        allowed.clientFirst(v.get("client_first"));
        allowed.serverFirst(credentials(v), false);
        assertThat(allowed.clientFinal(v.get("client_final"))).isEqualTo(v.get("server_final"));
    }

    @Test
    void plusOnAPlaintextConnectionIsMalformed() throws Exception {
        Map<String, String> v = load();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new ScramServer(v.get("server_nonce")).clientFirst(v.get("plus_client_first")))
                .isInstanceOf(ScramException.class)
                .extracting(e -> ((ScramException) e).code())
                .isEqualTo(parley.server.protocol.RegistryErrors.AUTH_MALFORMED);
    }
}
