package parley.peer.event;

import parley.peer.event.GroupEvents.*;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The sentences of the group events, for {@link TextFormat}: kept apart so group chat does not
 * grow TextFormat's chain. Builds raw lines only; TextFormat passes each through
 * {@link TerminalSafe} before anything is printed, so a hostile group or user name or text never
 * reaches the terminal raw.
 */
final class GroupText {
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private GroupText() {
    }

    static List<String> lines(GroupEvents e) {
        if (e instanceof Groups g) {
            return groups(g);
        } else if (e instanceof GroupMembers m) {
            return members(m);
        } else if (e instanceof GroupHistory h) {
            return history(h);
        }
        return List.of(line(e));
    }

    private static String line(GroupEvents e) {
        if (e instanceof GroupInvite i) {
            return "? " + (i.from() == null ? "you are invited to #" + i.group() + " (while you were away): " : i.from() + " invites you to #" + i.group() + ": ")
                    + "/accept #" + i.group() + " or /decline #" + i.group();
        } else if (e instanceof Group g) {
            return "* #" + g.group() + ": " + change(g);
        } else if (e instanceof GroupMessage m) {
            return "[" + TextFormat.time(m.sentAt()) + "] #" + m.group() + " <" + m.from() + "> " + m.text()
                    + (m.late() ? "  (late)" : "");
        } else if (e instanceof GroupSending s) {
            return "  -> #" + s.group() + " #" + s.id() + " sending to " + s.members() + " member(s): " + s.text();
        } else if (e instanceof GroupDelivered d) {
            return "  -> #" + d.group() + " #" + d.id() + " delivered to " + d.to();
        } else if (e instanceof GroupQueued q) {
            return "  -> #" + q.group() + " #" + q.id() + " queued for " + q.to() + " (sealed in their mailbox)";
        } else if (e instanceof GroupFailed f) {
            return "  -> #" + f.group() + " #" + f.id() + " FAILED for " + f.to() + ": " + f.reason();
        } else if (e instanceof GroupGap g) {
            return "! #" + g.group() + ": " + g.missing() + " message(s) of " + g.from() + " missing, from their sequence "
                    + g.first() + " on (not in your mailbox either)";
        }
        return Json.write(e);
    }

    private static String change(Group g) {
        switch (g.change()) {
            case "created":
                return "created; invite contacts with /group invite #" + g.group() + " <user>";
            case "joined":
                return "you joined";
            case "left":
                return "you left";
            case "kicked":
                return "you were removed by an admin";
            case "declined":
                return "you declined the invitation";
            default:
                return g.user() + " " + g.change().replace("member_", "").replace('_', ' ');
        }
    }

    private static List<String> groups(Groups g) {
        List<String> out = new ArrayList<>();
        if (g.groups().isEmpty()) {
            out.add("* you are in no group; /group create #name starts one");
            return out;
        }
        out.add("* groups:");
        for (GroupRow r : g.groups()) {
            out.add("    #" + r.group() + "  " + r.role());
        }
        return out;
    }

    private static List<String> members(GroupMembers m) {
        List<String> out = new ArrayList<>();
        out.add("* members of #" + m.group() + ":");
        for (MemberRow r : m.members()) {
            out.add("    " + r.user() + "  " + r.role() + "  " + r.state());
        }
        return out;
    }

    private static List<String> history(GroupHistory h) {
        List<String> out = new ArrayList<>();
        out.add(h.messages().isEmpty() ? "* no messages in #" + h.group() : "* history of #" + h.group() + ":");
        for (GroupLine l : h.messages()) {
            out.add("  [" + (l.sentAt() <= 0 ? "----------:--" : DAY_TIME.format(Instant.ofEpochMilli(l.sentAt()))) + "] <"
                    + l.from() + "> " + l.text() + (l.reached() < 0 ? "" : "  (reached " + l.reached() + ")"));
        }
        if (h.hidden() > 0) {
            out.add("* " + h.hidden() + " message(s) of users you blocked hidden");
        }
        return out;
    }
}
