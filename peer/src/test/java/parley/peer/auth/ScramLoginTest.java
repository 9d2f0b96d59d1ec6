package parley.peer.auth;

import org.junit.jupiter.api.Test;
import parley.server.auth.ScramClient;
import parley.server.auth.ScramCredentials;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScramLoginTest {
    private static final String NONCE = "rOprNGfwEbeRWgbNEkqO";
    private static final byte[] SALT = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
    private static final String SERVER_FIRST = "r=" + NONCE + "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";

    @Test
    void cachedKeysProduceTheSameProofAsTheRegistrysPasswordClient() throws Exception {
        ScramClient reference = new ScramClient("user", "pencil", NONCE);
        String refFirst = reference.clientFirst();
        String refFinal = reference.clientFinal(SERVER_FIRST);

        ScramLogin login = new ScramLogin("user", NONCE);
        assertThat(login.clientFirst()).isEqualTo(refFirst);
        login.parse(SERVER_FIRST);
        LoginKeys keys = LoginKeys.derive("pencil", login.salt(), login.iterations());
        assertThat(login.clientFinal(keys)).isEqualTo(refFinal);
    }

    @Test
    void rfc7677VectorVerifiesTheServerSignature() {
        ScramLogin login = new ScramLogin("user", NONCE);
        login.clientFirst();
        login.parse(SERVER_FIRST);
        String clientFinal = login.clientFinal(LoginKeys.derive("pencil", SALT, 4096));
        assertThat(clientFinal).isEqualTo("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        assertThat(login.verifyServerFinal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")).isTrue();
        assertThat(login.verifyServerFinal("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")).isFalse();
        assertThat(login.verifyServerFinal("e=other-error")).isFalse();
    }

    @Test
    void registrationKeysMatchTheRegistrysDerivation() {
        ScramCredentials creds = ScramCredentials.derive("pencil", SALT, 4096);
        LoginKeys keys = LoginKeys.derive("pencil", SALT, 4096);
        assertThat(LoginKeys.sha256(keys.clientKey())).isEqualTo(creds.storedKey());
        assertThat(keys.serverKey()).isEqualTo(creds.serverKey());
    }

    @Test
    void refusesAHostileServerFirst() {
        ScramLogin login = new ScramLogin("user", NONCE);
        assertThatThrownBy(() -> login.parse("r=other,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")).hasMessageContaining("nonce");
        assertThatThrownBy(() -> login.parse("r=" + NONCE + "x,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=99999999"))
                .hasMessageContaining("iteration");
        assertThatThrownBy(() -> login.parse("r=" + NONCE + "x,s=AAAA,i=4096")).hasMessageContaining("salt");
        assertThatThrownBy(() -> login.parse("r=" + NONCE + "x,i=4096")).hasMessageContaining("lacks");
    }

    @Test
    void keysForAnotherSaltDoNotFit() {
        ScramLogin login = new ScramLogin("user", NONCE);
        login.parse(SERVER_FIRST);
        LoginKeys other = LoginKeys.derive("pencil", new byte[16], 4096);
        assertThat(other.fits(login.salt(), login.iterations())).isFalse();
        assertThatThrownBy(() -> login.clientFinal(other)).isInstanceOf(IllegalArgumentException.class);
    }
}
