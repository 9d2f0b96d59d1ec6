package parley.peer.term;

import parley.peer.command.Command;
import parley.peer.command.CommandParser;
import parley.peer.command.CommandSpec;
import parley.peer.core.PeerHandle;
import parley.peer.event.ClientErrors;
import parley.peer.event.ConsoleEvents;
import parley.peer.output.EventSink;

import java.util.List;

/**
 * The one command path of every front-end (terminal, script, demo): parse a line, fill in a
 * password the line did not carry, report mistakes, hand the command to the peer. Runs on the
 * input thread, never on the loop.
 */
public final class LineHandler {
    private final PeerHandle peer;
    private final EventSink sink;
    private final boolean inlinePasswords;
    private final PasswordSource passwords;
    /** The last line was a /login or /register that got no password: the user may type it next. */
    private boolean passwordExpected;

    /**
     * @param inlinePasswords whether {@code /login user password} is accepted: in script mode yes;
     *                        on a terminal no, since the line would land in the input history
     */
    public LineHandler(PeerHandle peer, EventSink sink, boolean inlinePasswords, PasswordSource passwords) {
        this.peer = peer;
        this.sink = sink;
        this.inlinePasswords = inlinePasswords;
        this.passwords = passwords;
    }

    /**
     * The answer to the startup {@code username (empty to skip):} prompt: a name logs in as that
     * user (the password is asked for next), a line starting with '/' is a command like any other
     * (so {@code /register bob} registers bob), empty skips. A name never has spaces: a second
     * word would otherwise become an inline password, or a password typed there a username.
     */
    public boolean acceptUsername(String answer) {
        String name = answer == null ? "" : answer.strip();
        if (name.isEmpty()) {
            return true;
        }
        if (name.startsWith("/")) {
            return accept(name);
        }
        if (name.chars().anyMatch(Character::isWhitespace)) {
            sink.emit(new ConsoleEvents.Error(ClientErrors.USAGE, "a username has no spaces; nothing was sent. Type /login <user>,"
                    + " or /register <user> for a new account, and enter the password at its own prompt"));
            return true;
        }
        return accept("/login " + name);
    }

    /** Whether the next line may be a password typed at the wrong prompt (keep it out of any history). */
    public boolean passwordExpected() {
        return passwordExpected;
    }

    /** Handles one line; returns false once the user asked to quit. */
    public boolean accept(String line) {
        boolean afterPasswordlessLogin = passwordExpected;
        passwordExpected = false;
        CommandParser.Result r = CommandParser.parse(line);
        if (r.empty()) {
            return true;
        }
        if (!r.ok()) {
            sink.emit(new ConsoleEvents.Error(r.errorCode(), r.error()));
            return true;
        }
        Command c = r.command();
        if (c.spec() == CommandSpec.SAY && afterPasswordlessLogin) {
            // Typed where the user expected a password prompt: it may well be the password.
            sink.emit(new ConsoleEvents.Error(ClientErrors.USAGE, "not sent: the line after a /login or /register that got no password"
                    + " is never sent as a message (it may be the password); type it again to send it"));
            return true;
        }
        if (c.spec() == CommandSpec.REGISTER || c.spec() == CommandSpec.LOGIN) {
            c = withPassword(c);
            if (c == null) {
                passwordExpected = true;
                return true;
            }
        }
        peer.submit(c);
        return c.spec() != CommandSpec.QUIT;
    }

    private Command withPassword(Command c) {
        boolean registering = c.spec() == CommandSpec.REGISTER;
        if (c.argCount() == 2 && !inlinePasswords) {
            sink.emit(new ConsoleEvents.Error(ClientErrors.USAGE, "do not type the password on the command line (it would stay in the"
                    + " history): type " + c.spec().usage().replace(" [password]", "").replace("[user]", c.arg(0))
                    + " and enter it at the prompt"));
            return null;
        }
        if (c.argCount() == 0) {
            sink.emit(new ConsoleEvents.Error(ClientErrors.USAGE, "usage: /" + c.spec().word() + " <user>"));
            return null;
        }
        if (c.argCount() == 2) {
            return c;
        }
        String password = passwords == null ? null : passwords.password(c.arg(0), registering);
        if (password == null || password.isEmpty()) {
            sink.emit(new ConsoleEvents.Error(ClientErrors.USAGE, "no password: give it with --password-file, or in script mode as /"
                    + c.spec().word() + " <user> <password>"));
            return null;
        }
        return new Command(c.spec(), List.of(c.arg(0), password));
    }
}
