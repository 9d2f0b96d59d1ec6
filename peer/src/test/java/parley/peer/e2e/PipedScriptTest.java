package parley.peer.e2e;

import org.junit.jupiter.api.Test;
import parley.peer.ScriptMain;
import parley.peer.core.PeerConfig;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 defect 3: a script piped into the peer runs in order, each command answered before the
 * next, and end of input waits for all of them. Driven through ScriptMain's own stdin path, with
 * the whole input already at end of file, the case that used to cut the script short.
 */
class PipedScriptTest extends PeerFixture {
    private List<String> runScript(String name, String script) throws Exception {
        PeerConfig c = config(name);
        List<String> out = new CopyOnWriteArrayList<>();
        InputStream stdin = new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8));
        assertThat(ScriptMain.run(c, true, null, null, stdin, out::add, false)).isZero();
        return out;
    }

    private static List<String> types(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll("^\\{\"event\":\"([a-z_]+)\".*$", "$1")).collect(Collectors.toList());
    }

    @Test
    void theReadmeScriptRunsInOrderAndEndsWithBye() throws Exception {
        List<String> out = runScript("piper", "/register piper pw\n/login piper pw\n/who\n/quit\n");
        assertThat(types(out)).as(String.join("\n", out)).containsExactly("ready", "registered", "logged_in", "who", "bye");
    }

    @Test
    void endOfInputWithoutQuitStillWaitsForEveryCommand() throws Exception {
        List<String> out = runScript("eve", "/register eve pw\n/login eve pw\n/visibility everyone\n/contacts\n");
        assertThat(types(out)).as(String.join("\n", out))
                .containsExactly("ready", "registered", "logged_in", "visibility", "contacts", "bye");
    }

    @Test
    void aFailingCommandEndsWithItsErrorAndTheScriptGoesOn() throws Exception {
        List<String> out = runScript("ann", "/who\n/nonsense\n/register ann pw\n/login ann wrong\n/login ann pw\n");
        assertThat(types(out)).as(String.join("\n", out))
                .containsExactly("ready", "error", "error", "registered", "error", "logged_in", "bye");
        assertThat(out.get(4)).contains("AUTH_FAILED");
    }
}
