package parley.peer;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --keylog} wins over {@code PARLEY_KEYLOG}; an unset or empty variable leaves the key log off. */
class PeerMainKeyLogTest {
    @Test
    void theOptionWinsOverTheEnvironmentAndAnEmptyVariableIsOff() {
        assertThat(PeerMain.keyLogFile(Path.of("x"), "y")).isEqualTo(Path.of("x"));
        assertThat(PeerMain.keyLogFile(null, "y")).isEqualTo(Path.of("y"));
        assertThat(PeerMain.keyLogFile(null, "")).isNull();
        assertThat(PeerMain.keyLogFile(null, null)).isNull();
    }
}
