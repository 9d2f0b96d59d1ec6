package parley.server.auth;

import parley.server.protocol.scram.ScramClient;
import parley.server.protocol.scram.ScramCrypto;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** The SCRAM-SHA-256 example of RFC 7677 section 3, byte for byte, on both sides. */
class ScramRfc7677Test {
    static final String CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
    static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    static final byte[] SALT = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
    static final String CLIENT_FIRST = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
    static final String SERVER_FIRST =
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    static final String CLIENT_FINAL =
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    @Test
    void clientProducesThePublishedMessages() throws Exception {
        ScramClient client = new ScramClient("user", "pencil", CLIENT_NONCE);
        assertThat(client.clientFirst()).isEqualTo(CLIENT_FIRST);
        assertThat(client.clientFinal(SERVER_FIRST)).isEqualTo(CLIENT_FINAL);
        client.verifyServerFinal(SERVER_FINAL);
        assertThat(client.isServerVerified()).isTrue();
    }

    @Test
    void serverProducesThePublishedMessagesFromStoredKeysOnly() throws Exception {
        ScramCredentials stored = ScramCredentials.derive("pencil", SALT, 4096);
        ScramServer server = new ScramServer(SERVER_NONCE);
        assertThat(server.clientFirst(CLIENT_FIRST)).isEqualTo("user");
        assertThat(server.serverFirst(stored, false)).isEqualTo(SERVER_FIRST);
        assertThat(server.clientFinal(CLIENT_FINAL)).isEqualTo(SERVER_FINAL);
        assertThat(server.isAuthenticated()).isTrue();
    }

    @Test
    void derivedKeysMatchTheRfcChain() {
        // SaltedPassword is Hi("pencil", salt, 4096); StoredKey = H(HMAC(SP, "Client Key")).
        byte[] sp = ScramCrypto.hi(ScramCrypto.utf8("pencil"), SALT, 4096);
        byte[] pbkdf2 = jdkPbkdf2("pencil", SALT, 4096);
        assertThat(sp).isEqualTo(pbkdf2);
        ScramCredentials c = ScramCredentials.derive("pencil", SALT, 4096);
        assertThat(c.storedKey()).isEqualTo(ScramCrypto.h(ScramCrypto.hmac(sp, ScramCrypto.ascii("Client Key"))));
        assertThat(c.serverKey()).isEqualTo(ScramCrypto.hmac(sp, ScramCrypto.ascii("Server Key")));
        assertThat(c.salt()).isEqualTo(SALT);
        assertThat(c.iterations()).isEqualTo(4096);
    }

    private static byte[] jdkPbkdf2(String password, byte[] salt, int iterations) {
        try {
            javax.crypto.SecretKeyFactory f = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            return f.generateSecret(new javax.crypto.spec.PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
