package parley.peer.auth;

import org.junit.jupiter.api.Test;
import parley.server.protocol.scram.ScramClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SaltedPasswordCacheTest {
    // RFC 7677 section 3 test vector.
    private static final String NONCE = "rOprNGfwEbeRWgbNEkqO";
    private static final String SERVER_FIRST = "r=" + NONCE + "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private static final String CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    @Test
    void firstAndSecondLoginProveTheSameWithoutThePasswordTheSecondTime() throws Exception {
        SaltedPasswordCache cache = new SaltedPasswordCache("pencil");
        ScramClient first = new ScramClient("user", cache, NONCE);
        first.clientFirst();
        assertThat(first.clientFinal(SERVER_FIRST)).isEqualTo(CLIENT_FINAL);
        first.verifyServerFinal(SERVER_FINAL);
        assertThat(cache.holdsPassword()).isFalse();

        ScramClient again = new ScramClient("user", cache, NONCE);
        again.clientFirst();
        assertThat(again.clientFinal(SERVER_FIRST)).isEqualTo(CLIENT_FINAL);
        again.verifyServerFinal(SERVER_FINAL);
    }

    @Test
    void anotherSaltNeedsThePasswordAgain() {
        SaltedPasswordCache cache = new SaltedPasswordCache("pencil");
        cache.derive(new byte[16], 4096);
        assertThatThrownBy(() -> cache.derive(new byte[17], 4096)).hasMessageContaining("password");
        assertThat(cache.derive(new byte[16], 4096)).hasSize(32);
    }
}
