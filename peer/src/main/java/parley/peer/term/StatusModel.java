package parley.peer.term;

import parley.peer.event.Event;

import java.util.Map;
import java.util.TreeMap;

/**
 * What the status line shows, derived only from the events the user sees: who you are, your
 * visibility, your current chat partner, and unread messages per other user. Output thread only.
 */
public final class StatusModel {
    private String user;
    private String visibility = "-";
    private String partner;
    private String registry = "connecting";
    private final Map<String, Integer> unread = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    public void apply(Event e) {
        switch (e.type()) {
            case "logged_in":
                user = e.string("user");
                visibility = e.string("visibility");
                registry = "online";
                break;
            case "logged_out":
                user = null;
                visibility = "-";
                break;
            case "visibility":
                visibility = e.string("level");
                break;
            case "chat":
                partner = e.string("user");
                unread.remove(partner);
                break;
            case "message":
                String from = e.string("from");
                if (partner == null || !partner.equalsIgnoreCase(from)) {
                    unread.merge(from, 1, Integer::sum);
                }
                break;
            case "connection":
                registry = e.string("state");
                break;
            default:
                break;
        }
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(user == null ? "not logged in" : user).append(" | visibility: ").append(visibility)
                .append(" | registry: ").append(registry)
                .append(" | chat: ").append(partner == null ? "-" : partner);
        if (!unread.isEmpty()) {
            sb.append(" | unread:");
            unread.forEach((u, n) -> sb.append(' ').append(u).append('(').append(n).append(')'));
        }
        return sb.toString();
    }

    public String partner() {
        return partner;
    }

    public int unread(String from) {
        return unread.getOrDefault(from, 0);
    }
}
