package parley.peer;

import parley.peer.core.PeerConfig;
import parley.peer.event.Event;
import parley.peer.script.ScriptSession;
import parley.peer.term.PasswordSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Script mode on stdin and stdout: one command per input line, one event per output line. */
final class ScriptMain {
    private ScriptMain() {
    }

    static int run(PeerConfig config, boolean json, String user, PasswordSource passwords) throws Exception {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        ScriptSession session = ScriptSession.start(config, json, line -> {
            out.println(line);
            out.flush();
        }, (Event e) -> { }, passwords);
        Runtime.getRuntime().addShutdownHook(new Thread(session::close, "peer-shutdown"));
        if (user != null) {
            session.line("/login " + user);
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!session.line(line)) {
                    break;
                }
            }
        }
        // End of input is a /quit: log out cleanly rather than vanish from the registry by timeout.
        session.quit(10, TimeUnit.SECONDS);
        return 0;
    }
}
