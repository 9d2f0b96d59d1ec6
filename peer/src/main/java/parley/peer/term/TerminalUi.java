package parley.peer.term;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.Status;
import parley.peer.event.PeerEvent;
import parley.peer.event.TextFormat;
import parley.peer.output.LineOutput;
import parley.peer.event.TerminalSafe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The interactive front-end on JLine: line editing, persistent input history, tab completion,
 * events printed above the prompt without breaking the line being typed, and a status line.
 * Input runs on the caller's thread; printing happens on the output thread via {@link #output()}.
 */
public final class TerminalUi {
    private static final char MASK = '*';

    private final Terminal terminal;
    private final LineReader reader;
    private final Status status;
    private final StatusModel model = new StatusModel();
    private final KnownUsers users;

    public TerminalUi(Terminal terminal, KnownUsers users, Path historyFile) throws IOException {
        this.terminal = terminal;
        this.users = users;
        SecretFreeHistory.makePrivate(historyFile);
        this.reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("parley")
                .completer(new CommandCompleter(users))
                .history(new SecretFreeHistory())
                .variable(LineReader.HISTORY_FILE, historyFile)
                .build();
        this.status = Status.getStatus(terminal);
        refreshStatus();
    }

    /** Where the output thread writes: above the prompt, so a half-typed line survives. */
    public LineOutput output() {
        return text -> {
            if (reader.isReading()) {
                reader.printAbove(text);
            } else {
                terminal.writer().println(text);
                terminal.flush();
            }
        };
    }

    /** Called on the output thread for each event, after it is printed. */
    public void observe(PeerEvent e) {
        users.apply(e);
        model.apply(e);
        refreshStatus();
    }

    public static Function<PeerEvent, String> format() {
        return TextFormat::format;
    }

    /** Reads one line; null at end of input (Ctrl-D) or on Ctrl-C. */
    public String readLine() {
        return readLine(true);
    }

    /**
     * Reads one line; null at end of input (Ctrl-D) or on Ctrl-C. With {@code record} false the
     * line stays out of the input history: the line after a login that got no password may be it.
     */
    public String readLine(boolean record) {
        if (!record) {
            reader.setVariable(LineReader.DISABLE_HISTORY, true);
        }
        try {
            return reader.readLine(prompt());
        } catch (UserInterruptException | EndOfFileException e) {
            return null;
        } finally {
            reader.setVariable(LineReader.DISABLE_HISTORY, false);
        }
    }

    /** A masked prompt: the password is never echoed. */
    public String readPassword(String prompt) {
        try {
            return reader.readLine(prompt, MASK);
        } catch (UserInterruptException | EndOfFileException e) {
            return null;
        }
    }

    /** A visible prompt whose answer is not a command: kept out of the input history. */
    public String readPlain(String prompt) {
        reader.setVariable(LineReader.DISABLE_HISTORY, true);
        try {
            return reader.readLine(prompt);
        } catch (UserInterruptException | EndOfFileException e) {
            return null;
        } finally {
            reader.setVariable(LineReader.DISABLE_HISTORY, false);
        }
    }

    /** Asks for a password, twice when registering so a typo does not lock the account. */
    public PasswordSource passwords() {
        return (user, registering) -> {
            String p = readPassword("password for " + user + ": ");
            if (p == null || !registering) {
                return p;
            }
            String again = readPassword("repeat the password: ");
            return p.equals(again) ? p : null;
        };
    }

    private String prompt() {
        String partner = model.partner();
        return partner == null ? "> " : partner + "> ";
    }

    private synchronized void refreshStatus() {
        if (status != null) {
            status.update(List.of(new AttributedString(TerminalSafe.escape(model.render()))));
        }
    }

    public void close() {
        try {
            if (status != null) {
                status.update(List.of());
            }
            reader.getHistory().save();
            terminal.close();
        } catch (Exception e) {
            // Closing a terminal on the way out: nothing useful to do about a failure.
        }
    }
}
