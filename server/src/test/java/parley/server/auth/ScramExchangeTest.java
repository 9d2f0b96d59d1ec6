package parley.server.auth;

import parley.server.protocol.scram.ScramClient;
import parley.server.protocol.scram.ScramException;
import parley.server.protocol.scram.SaslPrep;

import org.junit.jupiter.api.Test;
import parley.server.protocol.RegistryErrors;

import java.security.SecureRandom;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScramExchangeTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] SECRET = new byte[32];
    private static final DecoyCredentials DECOYS = new DecoyCredentials(SECRET, ScramCredentials.DEFAULT_ITERATIONS);

    private static byte[] salt() {
        byte[] s = new byte[16];
        RANDOM.nextBytes(s);
        return s;
    }

    /** Runs a login; returns the server's final message or throws the server's ScramException. */
    private static String login(String name, String password, ScramCredentials stored, boolean decoy,
                                ScramClient[] clientOut) throws ScramException {
        ScramClient client = new ScramClient(name, password, ScramClient.newNonce(RANDOM));
        ScramServer server = new ScramServer(ScramServer.newNonce(RANDOM));
        server.clientFirst(client.clientFirst());
        String serverFirst = server.serverFirst(stored, decoy);
        String clientFinal = client.clientFinal(serverFirst);
        if (clientOut != null) {
            clientOut[0] = client;
        }
        return server.clientFinal(clientFinal);
    }

    @Test
    void roundTripWithRegisteredCredentials() throws Exception {
        ScramCredentials stored = ScramCredentials.derive("correct horse", salt(), 4096);
        ScramClient[] client = new ScramClient[1];
        String serverFinal = login("alice", "correct horse", stored, false, client);
        client[0].verifyServerFinal(serverFinal);
        assertThat(client[0].isServerVerified()).isTrue();
    }

    @Test
    void wrongPasswordFailsWithAuthFailed() {
        ScramCredentials stored = ScramCredentials.derive("correct horse", salt(), 4096);
        assertThatThrownBy(() -> login("alice", "wrong horse", stored, false, null))
                .isInstanceOf(ScramException.class)
                .extracting(e -> ((ScramException) e).code()).isEqualTo(RegistryErrors.AUTH_FAILED);
    }

    @Test
    void unknownUserFailsExactlyLikeAWrongPassword() throws Exception {
        ScramCredentials real = ScramCredentials.derive("pw-real", salt(), ScramCredentials.DEFAULT_ITERATIONS);
        ScramException wrong = catchScram(() -> login("alice", "not-it", real, false, null));
        ScramException unknown = catchScram(() -> login("nobody", "anything", DECOYS.forKey("nobody"), true, null));
        assertThat(unknown.code()).isEqualTo(wrong.code()).isEqualTo(RegistryErrors.AUTH_FAILED);
        assertThat(unknown.getMessage()).isEqualTo(wrong.getMessage());
    }

    @Test
    void decoyIsRefusedEvenIfTheProofMatchedItsKeys() {
        // Someone who somehow knew the decoy's password-equivalent still cannot log in as a non-account.
        ScramCredentials decoyThatMatches = ScramCredentials.derive("pw", salt(), 4096);
        assertThatThrownBy(() -> login("ghost", "pw", decoyThatMatches, true, null))
                .extracting(e -> ((ScramException) e).code()).isEqualTo(RegistryErrors.AUTH_FAILED);
    }

    @Test
    void decoySaltIsStablePerNameAndLooksLikeARealServerFirst() throws Exception {
        ScramCredentials a1 = DECOYS.forKey("nobody");
        ScramCredentials a2 = new DecoyCredentials(SECRET.clone(), ScramCredentials.DEFAULT_ITERATIONS).forKey("nobody");
        ScramCredentials b = DECOYS.forKey("somebody-else");
        assertThat(a1.salt()).isEqualTo(a2.salt()).hasSize(16);
        assertThat(b.salt()).isNotEqualTo(a1.salt());
        assertThat(a1.iterations()).isEqualTo(ScramCredentials.DEFAULT_ITERATIONS);
        byte[] otherSecret = new byte[32];
        otherSecret[0] = 1;
        assertThat(new DecoyCredentials(otherSecret, 4096).forKey("nobody").salt()).isNotEqualTo(a1.salt());

        ScramServer server = new ScramServer(ScramServer.newNonce(RANDOM));
        server.clientFirst("n,,n=nobody,r=" + ScramClient.newNonce(RANDOM));
        String sf = server.serverFirst(a1, true);
        assertThat(sf).matches("r=[^,]+,s=" + java.util.regex.Pattern.quote(Base64.getEncoder().encodeToString(a1.salt())) + ",i=" + ScramCredentials.DEFAULT_ITERATIONS);
    }

    @Test
    void tamperedProofFails() throws Exception {
        ScramCredentials stored = ScramCredentials.derive("pw", salt(), 4096);
        ScramClient client = new ScramClient("alice", "pw", ScramClient.newNonce(RANDOM));
        ScramServer server = new ScramServer(ScramServer.newNonce(RANDOM));
        server.clientFirst(client.clientFirst());
        String clientFinal = client.clientFinal(server.serverFirst(stored, false));
        int p = clientFinal.indexOf(",p=") + 3;
        byte[] proof = Base64.getDecoder().decode(clientFinal.substring(p));
        proof[5] ^= 1;
        String tampered = clientFinal.substring(0, p) + Base64.getEncoder().encodeToString(proof);
        ScramException e = catchScram(() -> server.clientFinal(tampered));
        assertThat(e.code()).isEqualTo(RegistryErrors.AUTH_FAILED);
        assertThat(server.isAuthenticated()).isFalse();
    }

    @Test
    void proofReplayedIntoAnotherExchangeFails() throws Exception {
        ScramCredentials stored = ScramCredentials.derive("pw", salt(), 4096);
        String nonce = ScramClient.newNonce(RANDOM);
        ScramClient client = new ScramClient("alice", "pw", nonce);
        ScramServer first = new ScramServer(ScramServer.newNonce(RANDOM));
        first.clientFirst(client.clientFirst());
        String clientFinal = client.clientFinal(first.serverFirst(stored, false));
        // Same client-first, fresh server nonce: the old client-final no longer matches.
        ScramServer second = new ScramServer(ScramServer.newNonce(RANDOM));
        second.clientFirst("n,,n=alice,r=" + nonce);
        second.serverFirst(stored, false);
        assertThat(catchScram(() -> second.clientFinal(clientFinal)).code()).isEqualTo(RegistryErrors.AUTH_MALFORMED);
    }

    @Test
    void clientRejectsAWrongServerSignature() throws Exception {
        ScramCredentials stored = ScramCredentials.derive("pw", salt(), 4096);
        ScramClient client = new ScramClient("alice", "pw", ScramClient.newNonce(RANDOM));
        ScramServer server = new ScramServer(ScramServer.newNonce(RANDOM));
        server.clientFirst(client.clientFirst());
        String serverFinal = server.clientFinal(client.clientFinal(server.serverFirst(stored, false)));
        byte[] sig = Base64.getDecoder().decode(serverFinal.substring(2));
        sig[0] ^= (byte) 0x80;
        ScramException e = catchScram(() -> client.verifyServerFinal("v=" + Base64.getEncoder().encodeToString(sig)));
        assertThat(e.code()).isEqualTo(RegistryErrors.AUTH_FAILED);
        assertThat(client.isServerVerified()).isFalse();
        assertThat(catchScram(() -> client.verifyServerFinal("e=other-error")).code()).isEqualTo(RegistryErrors.AUTH_FAILED);
    }

    @Test
    void impostorServerWithoutServerKeyIsDetected() throws Exception {
        // Knows StoredKey (e.g. a stolen database) but the ServerKey it holds is wrong.
        ScramCredentials real = ScramCredentials.derive("pw", salt(), 4096);
        ScramCredentials stolen = new ScramCredentials(real.salt(), 4096, real.storedKey(), new byte[32]);
        ScramClient client = new ScramClient("alice", "pw", ScramClient.newNonce(RANDOM));
        ScramServer impostor = new ScramServer(ScramServer.newNonce(RANDOM));
        impostor.clientFirst(client.clientFirst());
        String serverFinal = impostor.clientFinal(client.clientFinal(impostor.serverFirst(stolen, false)));
        assertThat(catchScram(() -> client.verifyServerFinal(serverFinal)).code()).isEqualTo(RegistryErrors.AUTH_FAILED);
    }

    @Test
    void clientRefusesHostileServerFirst() throws Exception {
        String nonce = ScramClient.newNonce(RANDOM);
        String salt = Base64.getEncoder().encodeToString(new byte[16]);
        String[] hostile = {
            "r=" + nonce + "xyz,s=" + salt + ",i=4095",                  // weakened hash
            "r=" + nonce + "xyz,s=" + salt + ",i=1000001",               // minutes of PBKDF2
            "r=" + nonce + "xyz,s=" + salt + ",i=99999999999",
            "r=" + nonce + "xyz,s=" + salt + ",i=-5",
            "r=someone-elses-nonce-entirely,s=" + salt + ",i=4096",
            "r=" + nonce + ",s=" + salt + ",i=4096",                     // server added nothing
            "r=" + nonce + "xyz,s=AAAA,i=4096",                          // 3-byte salt
            "r=" + nonce + "xyz,s=not*base64,i=4096",
            "m=ext,r=" + nonce + "xyz,s=" + salt + ",i=4096",
            "r=" + nonce + "xyz,s=" + salt,
            "x".repeat(600),
        };
        for (String sf : hostile) {
            ScramClient client = new ScramClient("alice", "pw", nonce);
            client.clientFirst();
            assertThat(catchScram(() -> client.clientFinal(sf)).code()).as(sf).isEqualTo(RegistryErrors.AUTH_MALFORMED);
        }
    }

    @Test
    void serverRefusesMalformedClientFirst() {
        String nonce = "abcdefghijklmnopqrstuvwx";
        String[] bad = {
            "", "n", "n,,", "p=tls-unique,,n=alice,r=" + nonce, "n,a=admin,n=alice,r=" + nonce,
            "n,,m=ext,n=alice,r=" + nonce, "n,,n=alice", "n,,n=alice,r=short", "n,,n=,r=" + nonce,
            "n,,n=al=ice,r=" + nonce, "n,,r=" + nonce + ",n=alice", "n,,n=alice,r=" + nonce.replace('a', ' '),
            "n,,n=" + "a".repeat(600) + ",r=" + nonce,
        };
        for (String m : bad) {
            ScramServer server = new ScramServer(ScramServer.newNonce(RANDOM));
            assertThat(catchScram(() -> server.clientFirst(m)).code()).as(m).isEqualTo(RegistryErrors.AUTH_MALFORMED);
        }
    }

    @Test
    void serverRefusesMalformedClientFinal() throws Exception {
        ScramCredentials stored = ScramCredentials.derive("pw", salt(), 4096);
        String cnonce = "abcdefghijklmnopqrstuvwx";
        String snonce = "ABCDEFGHIJKLMNOPQRSTUVWX";
        String proof = Base64.getEncoder().encodeToString(new byte[32]);
        String[] bad = {
            "", "c=biws", "c=biws,r=" + cnonce + snonce, "c=eSws,r=" + cnonce + snonce + ",p=" + proof,
            "c=biws,r=" + cnonce + ",p=" + proof, "c=biws,r=" + cnonce + snonce + ",p=AAAA",
            "c=biws,r=" + cnonce + snonce + ",p=!!!!", "r=" + cnonce + snonce + ",c=biws,p=" + proof,
        };
        for (String m : bad) {
            ScramServer server = new ScramServer(snonce);
            server.clientFirst("n,,n=alice,r=" + cnonce);
            server.serverFirst(stored, false);
            assertThat(catchScram(() -> server.clientFinal(m)).code()).as(m).isEqualTo(RegistryErrors.AUTH_MALFORMED);
        }
        // A well-formed final with the wrong proof is AUTH_FAILED, not malformed.
        ScramServer server = new ScramServer(snonce);
        server.clientFirst("n,,n=alice,r=" + cnonce);
        server.serverFirst(stored, false);
        assertThat(catchScram(() -> server.clientFinal("c=biws,r=" + cnonce + snonce + ",p=" + proof)).code())
                .isEqualTo(RegistryErrors.AUTH_FAILED);
    }

    @Test
    void serverStepsOutOfOrderAreProgrammingErrors() throws Exception {
        ScramServer server = new ScramServer(ScramServer.newNonce(RANDOM));
        assertThatThrownBy(() -> server.clientFinal("c=biws,r=x,p=y")).isInstanceOf(IllegalStateException.class);
        server.clientFirst("n,,n=alice,r=abcdefghijklmnopqrstuvwx");
        assertThatThrownBy(() -> server.clientFirst("n,,n=alice,r=abcdefghijklmnopqrstuvwx")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void saslnameEscapesRoundTrip() throws Exception {
        ScramClient client = new ScramClient("a=b,c", "pw", "abcdefghijklmnopqrstuvwx");
        String first = client.clientFirst();
        assertThat(first).isEqualTo("n,,n=a=3Db=2Cc,r=abcdefghijklmnopqrstuvwx");
        assertThat(new ScramServer(ScramServer.newNonce(RANDOM)).clientFirst(first)).isEqualTo("a=b,c");
    }

    @Test
    void passwordIsNormalisedWithNfkc() throws Exception {
        // U+2168 ROMAN NUMERAL NINE is "IX" under NFKC; U+00A0 becomes a space.
        byte[] s = salt();
        assertThat(ScramCredentials.derive("\u2168\u00a0pw", s, 4096)).isEqualTo(ScramCredentials.derive("IX pw", s, 4096));
        assertThatThrownBy(() -> SaslPrep.normalize("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SaslPrep.normalize("a\u0007b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void credentialBoundsAreChecked() {
        byte[] k = new byte[32];
        assertThat(ScramCredentials.check(new byte[16], 4096, k, k)).isZero();
        assertThat(ScramCredentials.check(new byte[15], 4096, k, k)).isEqualTo(RegistryErrors.BAD_CREDENTIALS);
        assertThat(ScramCredentials.check(new byte[65], 4096, k, k)).isEqualTo(RegistryErrors.BAD_CREDENTIALS);
        assertThat(ScramCredentials.check(new byte[16], 4095, k, k)).isEqualTo(RegistryErrors.BAD_CREDENTIALS);
        assertThat(ScramCredentials.check(new byte[16], 1_000_001, k, k)).isEqualTo(RegistryErrors.BAD_CREDENTIALS);
        assertThat(ScramCredentials.check(new byte[16], 4096, new byte[31], k)).isEqualTo(RegistryErrors.BAD_CREDENTIALS);
        assertThat(ScramCredentials.check(new byte[16], 4096, k, null)).isEqualTo(RegistryErrors.BAD_CREDENTIALS);
        assertThatThrownBy(() -> new ScramCredentials(new byte[1], 4096, k, k)).isInstanceOf(IllegalArgumentException.class);
    }

    interface ScramCall {
        void run() throws ScramException;
    }

    private static ScramException catchScram(ScramCall call) {
        try {
            call.run();
        } catch (ScramException e) {
            return e;
        }
        throw new AssertionError("expected a ScramException");
    }
}
