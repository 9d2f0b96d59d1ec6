package parley.peer;

import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import parley.peer.core.Peer;
import parley.peer.core.PeerConfig;
import parley.peer.output.OutputPump;
import parley.peer.term.KnownUsers;
import parley.peer.term.LineHandler;
import parley.peer.term.PasswordSource;
import parley.peer.term.TerminalUi;

import parley.core.util.PrivateFiles;
import java.util.concurrent.TimeUnit;

/** The interactive client: asks who you are, logs in, then reads commands until /quit or Ctrl-D. */
final class TerminalMain {
    private TerminalMain() {
    }

    static int run(PeerConfig config, String user, PasswordSource fromFile) throws Exception {
        PrivateFiles.createDirectories(config.dataDir);
        Terminal terminal = TerminalBuilder.builder().name("parley").system(true).build();
        TerminalUi ui = new TerminalUi(terminal, new KnownUsers(), config.dataDir.resolve("input-history"));
        OutputPump pump = new OutputPump("peer-output", TerminalUi.format(), ui.output(), ui::observe);
        Peer peer = Peer.start(config, pump);
        PasswordSource passwords = fromFile != null ? fromFile : ui.passwords();
        LineHandler handler = new LineHandler(peer, pump, false, passwords);
        try {
            // The startup prompt takes a name to log in as, or any command (/register bob, /quit).
            boolean more = user != null ? handler.acceptUsername(user)
                    : handler.acceptUsername(ui.readPlain("username, or a command such as /register <user> (empty to skip): "));
            String line = "";
            while (more && (line = ui.readLine(!handler.passwordExpected())) != null) {
                if (!handler.accept(line)) {
                    break;
                }
            }
            if (more && line == null) {
                handler.accept("/quit");
            }
            peer.awaitQuit(10, TimeUnit.SECONDS);
        } finally {
            peer.close();
            pump.close();
            ui.close();
        }
        return 0;
    }
}
