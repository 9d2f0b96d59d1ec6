package parley.peer.command;

import java.util.List;

/**
 * One parsed line: which command and its arguments. Plain text (a line not starting with '/') is
 * the command {@link CommandSpec#SAY} with the whole line as its one argument.
 */
public final class Command {
    private final CommandSpec spec;
    private final List<String> args;

    public Command(CommandSpec spec, List<String> args) {
        this.spec = spec;
        this.args = List.copyOf(args);
    }

    public CommandSpec spec() {
        return spec;
    }

    public List<String> args() {
        return args;
    }

    public String arg(int i) {
        return i < args.size() ? args.get(i) : null;
    }

    public int argCount() {
        return args.size();
    }

    @Override
    public String toString() {
        return spec.word() + args;
    }
}
