package parley.peer.term;

import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 19 items 5 and 6: the input history keeps no /login or /register line and is private. */
class TerminalHistoryTest {
    @TempDir
    Path dir;

    private TerminalUi ui(String typed, Path history) throws Exception {
        Terminal t = new DumbTerminal("test", "dumb", new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)),
                new ByteArrayOutputStream(), StandardCharsets.UTF_8);
        return new TerminalUi(t, new KnownUsers(), history);
    }

    @Test
    void loginAndRegisterLinesNeverReachTheHistoryFile() throws Exception {
        Path history = dir.resolve("input-history");
        TerminalUi ui = ui("/login alice s3cret\n/who\n  /REGISTER bob pw word\n/msg bob hi\n/login carol\n", history);
        for (int i = 0; i < 5; i++) {
            assertThat(ui.readLine()).isNotNull();
        }
        ui.close();
        String saved = Files.readString(history);
        assertThat(saved).contains("/who").contains("/msg bob hi");
        assertThat(saved.toLowerCase()).doesNotContain("login").doesNotContain("register").doesNotContain("s3cret");
    }

    @Test
    void theLineAfterARefusedInlinePasswordIsNotHistory() throws Exception {
        Path history = dir.resolve("input-history");
        TerminalUi ui = ui("/login bob\nhunter2\n/who\n", history);
        LineHandler h = new LineHandler(c -> { }, e -> { }, false, (user, registering) -> null);
        h.accept(ui.readLine(!h.passwordExpected()));   // no password came: the next line may be it
        assertThat(h.passwordExpected()).isTrue();
        h.accept(ui.readLine(!h.passwordExpected()));
        h.accept(ui.readLine(!h.passwordExpected()));
        ui.close();
        assertThat(Files.readString(history)).doesNotContain("hunter2").contains("/who");
    }

    @Test
    void theUsernameAnswerIsNotHistoryEither() throws Exception {
        Path history = dir.resolve("input-history");
        TerminalUi ui = ui("dave\n/who\n", history);
        assertThat(ui.readPlain("username: ")).isEqualTo("dave");
        assertThat(ui.readLine()).isEqualTo("/who");
        ui.close();
        assertThat(Files.readString(history)).doesNotContain("dave").contains("/who");
    }

    @Test
    void theHistoryFileIsCreatedOwnerOnlyAndAnOldOneIsTightened() throws Exception {
        Path fresh = dir.resolve("fresh");
        TerminalUi ui = ui("/who\n", fresh);
        ui.readLine();
        ui.close();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh))).isEqualTo("rw-------");

        Path old = dir.resolve("old");
        Files.writeString(old, "");
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));
        TerminalUi again = ui("/who\n", old);
        again.readLine();
        again.close();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(old))).isEqualTo("rw-------");
    }
}
