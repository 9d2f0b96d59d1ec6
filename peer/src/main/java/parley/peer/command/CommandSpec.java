package parley.peer.command;

import java.util.Arrays;
import java.util.List;

/**
 * The commands a user can type: name, usage, argument counts, help text and what each argument
 * completes to. One table drives parsing, /help and tab completion, so they cannot drift apart.
 */
public enum CommandSpec {
    REGISTER("register", "[user] [password]", 0, 2, true, "create an account (asks for a password)", Arg.NONE),
    LOGIN("login", "[user] [password]", 0, 2, true, "log in (asks for a password)", Arg.NONE),
    LOGOUT("logout", "", 0, 0, false, "log out, stay connected", Arg.NONE),
    WHO("who", "", 0, 0, false, "online users you may see, with last-seen times", Arg.NONE),
    VISIBILITY("visibility", "everyone|contacts|nobody", 1, 1, false, "who may see you online", Arg.VISIBILITY),
    CONTACTS("contacts", "", 0, 0, false, "contacts, requests and blocks", Arg.NONE),
    ADD("add", "<user>", 1, 1, false, "send a contact request", Arg.USER),
    ACCEPT("accept", "<user> | file <id>", 1, 2, false, "accept that user's pending contact or chat request, or a file offer", Arg.USER),
    DECLINE("decline", "<user> | file <id>", 1, 2, false, "decline that user's pending contact or chat request, or a file offer", Arg.USER),
    REMOVE("remove", "<user>", 1, 1, false, "remove a contact", Arg.USER),
    BLOCK("block", "<user>", 1, 1, false, "block a user: you vanish for them", Arg.USER),
    UNBLOCK("unblock", "<user>", 1, 1, false, "unblock a user", Arg.USER),
    CHAT("chat", "<user>", 1, 1, false, "talk to this user: plain lines go to them", Arg.USER),
    MSG("msg", "<user> <text>", 2, 2, true, "send one message", Arg.USER),
    HISTORY("history", "<user> [n]", 1, 2, false, "the last n messages with a user (default 20)", Arg.USER),
    VERIFY("verify", "<user> [confirm]", 1, 2, false, "show the safety number to compare out of band; confirm marks it verified", Arg.USER),
    PATH("path", "<user>", 1, 1, false, "how the chat with a user travels: direct, or through the relay", Arg.USER),
    GROUP("group", "create|invite|kick|leave|members #group [user]", 2, 3, false,
            "groups: create one, invite or kick a contact, leave, list the members", Arg.NONE),
    GROUPS("groups", "", 0, 0, false, "the groups you are in or invited to; /msg, /chat, /history, /accept, /decline take #group too", Arg.NONE),
    SEND("send", "<user> <path>", 2, 2, true, "offer a file (name, size and SHA-256); it goes once they accept", Arg.USER),
    FILES("files", "", 0, 0, false, "every file transfer with its state and progress", Arg.NONE),
    CANCEL("cancel", "<id>", 1, 1, false, "stop a file transfer, either side", Arg.NONE),
    STATS("stats", "", 0, 0, false, "per-session path, RTT, retransmissions, loss and bytes", Arg.NONE),
    HELP("help", "", 0, 0, false, "this list", Arg.NONE),
    QUIT("quit", "", 0, 0, false, "leave", Arg.NONE),
    /** Not typed: a line without a leading '/' is said to the current chat partner. */
    SAY("", "<text>", 1, 1, true, "", Arg.NONE);

    /** What an argument completes to. */
    public enum Arg { NONE, USER, VISIBILITY }

    public static final List<String> VISIBILITY_LEVELS = List.of("everyone", "contacts", "nobody");

    private final String word;
    private final String usage;
    private final int minArgs;
    private final int maxArgs;
    private final boolean restIsText;
    private final String help;
    private final Arg firstArg;

    CommandSpec(String name, String usage, int minArgs, int maxArgs, boolean restIsText, String help, Arg firstArg) {
        this.word = name;
        this.usage = usage;
        this.minArgs = minArgs;
        this.maxArgs = maxArgs;
        this.restIsText = restIsText;
        this.help = help;
        this.firstArg = firstArg;
    }

    /** The word typed after the slash. */
    public String word() {
        return word;
    }

    public String usage() {
        return "/" + word + (usage.isEmpty() ? "" : " " + usage);
    }

    public int minArgs() {
        return minArgs;
    }

    public int maxArgs() {
        return maxArgs;
    }

    /** The last argument takes the rest of the line, spaces included. */
    public boolean restIsText() {
        return restIsText;
    }

    public String help() {
        return help;
    }

    public Arg firstArg() {
        return firstArg;
    }

    public static CommandSpec byName(String name) {
        for (CommandSpec s : values()) {
            if (s != SAY && s.word.equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** Typed commands, in help order. */
    public static List<CommandSpec> typed() {
        return Arrays.asList(values()).subList(0, SAY.ordinal());
    }
}
