package parley.peer.term;

import parley.peer.event.PeerEvent;
import parley.peer.event.AccountEvents;
import parley.peer.event.ContactEvents;
import parley.peer.event.FileEvents;
import parley.peer.event.MessageEvents;
import parley.peer.event.SessionEvents;

import java.util.Map;
import java.util.TreeMap;

/**
 * What the status line shows, derived only from the events the user sees: who you are, your
 * visibility, your current chat partner (marked "relayed" while that chat goes through the
 * registry's relay), and unread messages per other user. Output thread only.
 */
public final class StatusModel {
    private String user;
    private String visibility = "-";
    private String partner;
    private String registry = "connecting";
    private final Map<String, Integer> unread = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    /** Users whose chat session goes through the relay now (their last {@code path} event said so). */
    private final java.util.Set<String> relayed = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    /** Contacts whose identity the user confirmed (PROTOCOL.md 7.9), as the events told it. */
    private final java.util.Set<String> verified = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    private final TransferStatus files = new TransferStatus();

    public void apply(PeerEvent e) {
        if (e instanceof AccountEvents.LoggedIn l) {
            user = l.user();
            visibility = l.visibility();
            registry = "online";
        } else if (e instanceof AccountEvents.LoggedOut) {
            user = null;
            visibility = "-";
        } else if (e instanceof AccountEvents.Visibility v) {
            visibility = v.level();
        } else if (e instanceof MessageEvents.Chat c) {
            partner = c.user();
            unread.remove(partner);
        } else if (e instanceof MessageEvents.Message m) {
            if (partner == null || !partner.equalsIgnoreCase(m.from())) {
                unread.merge(m.from(), 1, Integer::sum);
            }
        } else if (e instanceof SessionEvents.Path p) {
            if ("relayed".equals(p.kind())) {
                relayed.add(p.user());
            } else {
                relayed.remove(p.user());
            }
        } else if (e instanceof SessionEvents.SessionClosed c) {
            relayed.remove(c.user());
        } else if (e instanceof AccountEvents.Connection c) {
            registry = c.state();
        } else if (e instanceof SessionEvents.Verify v) {
            mark(v.user(), v.verified());
        } else if (e instanceof SessionEvents.IdentityChanged i) {
            mark(i.user(), false);
        } else if (e instanceof ContactEvents.Contacts c) {
            verified.clear();
            verified.addAll(c.verified());
        } else if (e instanceof FileEvents.Transfer t) {
            files.apply(t);
        }
    }

    private void mark(String who, boolean isVerified) {
        if (isVerified) {
            verified.add(who);
        } else {
            verified.remove(who);
        }
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(user == null ? "not logged in" : user).append(" | visibility: ").append(visibility)
                .append(" | registry: ").append(registry)
                .append(" | chat: ").append(partner == null ? "-" : partner);
        if (partner != null) {
            sb.append(verified.contains(partner) ? " (verified)" : " (unverified)");
            if (relayed.contains(partner)) {
                sb.append(" (relayed)");
            }
        }
        if (!unread.isEmpty()) {
            sb.append(" | unread:");
            unread.forEach((u, n) -> sb.append(' ').append(u).append('(').append(n).append(')'));
        }
        return sb.append(files.render()).toString();
    }

    public String partner() {
        return partner;
    }

    public int unread(String from) {
        return unread.getOrDefault(from, 0);
    }
}
