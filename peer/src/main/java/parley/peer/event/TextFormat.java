package parley.peer.event;

import parley.peer.output.TerminalSafe;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Renders an event as one (or, for lists, a few) human-readable lines for the terminal. Every
 * string in the event is first made terminal-safe by {@link TerminalSafe}: no field from the
 * network reaches the terminal raw, whichever case below prints it.
 */
public final class TextFormat {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private TextFormat() {
    }

    public static String format(Event event) {
        return render(TerminalSafe.escaped(event));
    }

    private static String render(Event e) {
        switch (e.type()) {
            case "ready":
                return "* parley peer ready (registry " + e.string("server") + ", UDP port " + e.get("udp_port") + ")";
            case "registered":
                return "* registered " + e.string("user") + "; now /login";
            case "logged_in":
                return "* logged in as " + e.string("user") + " (visibility " + e.string("visibility") + ")"
                        + (Boolean.TRUE.equals(e.get("relogin")) ? " again after reconnecting" : "");
            case "logged_out":
                return "* logged out";
            case "who":
                return userList("online", e.get("users"));
            case "contacts":
                return contacts(e);
            case "contact_request":
                return "? " + e.string("from") + " wants to be your contact: /accept " + e.string("from")
                        + " or /decline " + e.string("from");
            case "contact":
                return "* " + e.string("user") + ": contact " + e.string("change");
            case "session_request":
                return "? " + e.string("from") + " wants to chat: /accept " + e.string("from")
                        + " or /decline " + e.string("from");
            case "session_open":
                return "* secure session with " + e.string("user") + " open (fingerprint " + e.string("fingerprint") + ")";
            case "session_declined":
                return "* " + e.string("user") + " did not open a chat: " + e.string("reason");
            case "session_closed":
                return "* session with " + e.string("user") + " closed: " + e.string("reason");
            case "message":
                return "[" + time(e.number("sent_at")) + "] <" + e.string("from") + "> " + e.string("text");
            case "held_back":
                return "* " + e.get("count") + " messages from " + e.string("from") + " arrived while the output was"
                        + " behind and were not shown; /history " + e.string("from") + " has them";
            case "sending":
                return "  -> " + e.string("to") + " #" + e.get("id") + " sending: " + e.string("text");
            case "delivered":
                return "  -> " + e.string("to") + " #" + e.get("id") + " delivered";
            case "failed":
                return "  -> " + e.string("to") + " #" + e.get("id") + " FAILED: " + e.string("reason");
            case "presence":
                return "* " + e.string("user") + " is " + e.string("state") + lastSeen(e.number("last_seen"), e.string("state"));
            case "visibility":
                return "* visibility: " + e.string("level");
            case "chat":
                return "* now chatting with " + e.string("user") + "; plain lines go to them";
            case "history":
                return history(e);
            case "verify":
                return "* session key fingerprint with " + e.string("user") + ": " + e.string("fingerprint")
                        + " (compare it with theirs by another channel)";
            case "stats":
                return StatsTable.render(e);
            case "help":
                return String.join("\n", castStrings(e.get("commands")));
            case "connection":
                return "* registry " + e.string("state") + (e.string("detail") == null ? "" : ": " + e.string("detail"));
            case "info":
                return "* " + e.string("message");
            case "error":
                return "! " + e.string("message");
            case "bye":
                return "* bye";
            default:
                return Json.write(e);
        }
    }

    static String time(long epochMillis) {
        return epochMillis <= 0 ? "--:--:--" : TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    private static String lastSeen(long epochMillis, String state) {
        if ("online".equals(state) || epochMillis <= 0) {
            return "";
        }
        return " (last seen " + DAY_TIME.format(Instant.ofEpochMilli(epochMillis)) + ")";
    }

    private static String userList(String title, Object users) {
        List<?> list = (List<?>) users;
        if (list == null || list.isEmpty()) {
            return "* nobody " + title + " that you may see";
        }
        StringBuilder sb = new StringBuilder("* " + title + ":");
        for (Object o : list) {
            Event.Fields f = (Event.Fields) o;
            sb.append("\n    ").append(f.get("user")).append("  ").append(f.get("state"));
            Object seen = f.get("last_seen");
            if (seen instanceof Number && !"online".equals(f.get("state"))) {
                sb.append(lastSeen(((Number) seen).longValue(), String.valueOf(f.get("state"))));
            }
        }
        return sb.toString();
    }

    private static String contacts(Event e) {
        StringBuilder sb = new StringBuilder(userList("contacts", e.get("contacts")));
        appendNames(sb, "requests to you", e.get("incoming"));
        appendNames(sb, "your requests", e.get("outgoing"));
        appendNames(sb, "blocked", e.get("blocked"));
        return sb.toString();
    }

    private static void appendNames(StringBuilder sb, String title, Object names) {
        List<String> list = castStrings(names);
        if (!list.isEmpty()) {
            sb.append("\n* ").append(title).append(": ").append(String.join(", ", list));
        }
    }

    private static String history(Event e) {
        List<?> list = (List<?>) e.get("messages");
        if (list == null || list.isEmpty()) {
            return "* no messages with " + e.string("user");
        }
        StringBuilder sb = new StringBuilder("* history with " + e.string("user") + ":");
        for (Object o : list) {
            Event.Fields f = (Event.Fields) o;
            sb.append("\n  [").append(DAY_TIME.format(Instant.ofEpochMilli(((Number) f.get("sent_at")).longValue())))
                    .append("] <").append(f.get("from")).append("> ").append(f.get("text"));
            if (!"received".equals(f.get("state"))) {
                sb.append("  (").append(f.get("state")).append(')');
            }
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static List<String> castStrings(Object o) {
        return o == null ? List.of() : (List<String>) o;
    }
}
