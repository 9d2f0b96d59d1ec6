package parley.peer.command;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a typed line into a {@link Command}, or says precisely what is wrong with it. Pure: no
 * state, no I/O, so the terminal, script mode and the demo share it and tests cover it directly.
 */
public final class CommandParser {
    /** The result: a command, or an error message for the user. */
    public static final class Result {
        private final Command command;
        private final String errorCode;
        private final String error;

        private Result(Command command, String errorCode, String error) {
            this.command = command;
            this.errorCode = errorCode;
            this.error = error;
        }

        public boolean ok() {
            return command != null;
        }

        public Command command() {
            return command;
        }

        public String errorCode() {
            return errorCode;
        }

        public String error() {
            return error;
        }

        /** A blank line: nothing to do and nothing wrong. */
        public boolean empty() {
            return command == null && errorCode == null;
        }
    }

    public static final String UNKNOWN_COMMAND = "UNKNOWN_COMMAND";
    public static final String USAGE = "USAGE";
    private static final Result EMPTY = new Result(null, null, null);

    private CommandParser() {
    }

    public static Result parse(String line) {
        if (line == null) {
            return EMPTY;
        }
        String trimmed = strip(line);
        if (trimmed.isEmpty()) {
            return EMPTY;
        }
        if (trimmed.charAt(0) != '/') {
            return new Result(new Command(CommandSpec.SAY, List.of(trimmed)), null, null);
        }
        if (trimmed.startsWith("//")) {
            // An escape for text that starts with a slash.
            return new Result(new Command(CommandSpec.SAY, List.of(trimmed.substring(1))), null, null);
        }
        int end = nextSpace(trimmed, 1);
        String name = trimmed.substring(1, end);
        CommandSpec spec = CommandSpec.byName(name.toLowerCase(java.util.Locale.ROOT));
        if (spec == null) {
            return new Result(null, UNKNOWN_COMMAND,
                    "unknown command /" + name + "; type /help for the list of commands");
        }
        List<String> args = new ArrayList<>(2);
        int i = skipSpaces(trimmed, end);
        while (i < trimmed.length()) {
            if (spec.restIsText() && args.size() == spec.maxArgs() - 1) {
                args.add(trimmed.substring(i));
                break;
            }
            int e = nextSpace(trimmed, i);
            args.add(trimmed.substring(i, e));
            i = skipSpaces(trimmed, e);
        }
        if (args.size() < spec.minArgs() || args.size() > spec.maxArgs()) {
            return new Result(null, USAGE, "usage: " + spec.usage() + " (" + spec.help() + ")");
        }
        return new Result(new Command(spec, args), null, null);
    }

    private static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && Character.isWhitespace(s.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static int nextSpace(String s, int from) {
        int i = from;
        while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int skipSpaces(String s, int from) {
        int i = from;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
