package parley.peer;

import parley.peer.core.PeerConfig;
import parley.peer.output.LineOutput;
import parley.peer.script.ScriptSession;
import parley.peer.term.PasswordSource;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Script mode on stdin and stdout: one command per input line, one event per output line. Lines
 * run strictly in order: each command's answer is written before the next line is read, and end
 * of input (like /quit) waits for the goodbye.
 */
public final class ScriptMain {
    private static final long QUIT_TIMEOUT_SECONDS = 10;

    private ScriptMain() {
    }

    static int run(PeerConfig config, boolean json, String user, PasswordSource passwords) throws Exception {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        return run(config, json, user, passwords, System.in, line -> {
            out.println(line);
            out.flush();
        }, true);
    }

    /** The same script mode on any input and output: what tests drive, with a pipe as stdin. */
    public static int run(PeerConfig config, boolean json, String user, PasswordSource passwords, InputStream input,
                          LineOutput out, boolean shutdownHook) throws Exception {
        ScriptSession session = ScriptSession.start(config, json, out, null, passwords);
        if (shutdownHook) {
            Runtime.getRuntime().addShutdownHook(new Thread(session::close, "peer-shutdown"));
        }
        boolean more = user == null || session.run("/login " + user);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8))) {
            String line;
            while (more && (line = in.readLine()) != null) {
                more = session.run(line);
            }
        }
        // End of input is a /quit: log out cleanly rather than vanish from the registry by timeout.
        session.quit(QUIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return 0;
    }
}
