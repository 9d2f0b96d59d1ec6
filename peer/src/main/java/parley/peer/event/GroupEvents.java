package parley.peer.event;

import java.util.List;

/**
 * Group chat events (issue 14; PROTOCOL.md 7.12, 9.3.2; docs/peer-events.md "Groups"). The
 * {@code group} field is the group's name as the registry holds it, without the {@code #} the
 * commands and the text use. A group message reuses the event names of a 1:1 message
 * ({@code message}, {@code sending}, {@code delivered}, {@code queued}, {@code failed}) with the
 * extra field {@code group}, so a script that already follows delivery states follows these too.
 */
public sealed interface GroupEvents extends PeerEvent {
    /** Someone invited you: {@code /accept #group} or {@code /decline #group}. */
    record GroupInvite(String group, String from) implements GroupEvents {
        public String type() {
            return "group_invite";
        }

        public void fields(FieldWriter w) {
            w.str("group", group).str("from", from);
        }
    }

    /**
     * A membership change: {@code created}, {@code joined}, {@code left}, {@code kicked},
     * {@code declined} (about you) or {@code member_joined}, {@code member_left},
     * {@code member_kicked}, {@code member_invited}, {@code member_declined}, {@code role},
     * {@code closed} (about someone else, or the group).
     */
    record Group(String group, String change, String user) implements GroupEvents {
        public String type() {
            return "group";
        }

        public void fields(FieldWriter w) {
            w.str("group", group).str("change", change).str("user", user);
        }
    }

    /** A group message, shown once; {@code late}: its place is before a message already shown. */
    record GroupMessage(String group, String from, long id, String text, long sentAt, boolean late) implements GroupEvents {
        public String type() {
            return "message";
        }

        public void fields(FieldWriter w) {
            w.str("from", from).num("id", id).str("text", text).num("sent_at", sentAt).str("group", group).bool("late", late);
        }
    }

    /** You sent a group message; it is on its way to {@code members} members. */
    record GroupSending(String group, long id, String text, int members) implements GroupEvents {
        public String type() {
            return "sending";
        }

        public void fields(FieldWriter w) {
            w.num("id", id).str("to", "#" + group).str("text", text).str("group", group).num("members", members);
        }
    }

    /** Member {@code to} has the group message. */
    record GroupDelivered(String group, long id, String to) implements GroupEvents {
        public String type() {
            return "delivered";
        }

        public void fields(FieldWriter w) {
            w.num("id", id).str("to", to).str("group", group);
        }
    }

    /** Member {@code to} had no open session: its copy is sealed in their mailbox. */
    record GroupQueued(String group, long id, String to) implements GroupEvents {
        public String type() {
            return "queued";
        }

        public void fields(FieldWriter w) {
            w.num("id", id).str("to", to).str("group", group);
        }
    }

    /** Member {@code to} will not get the group message, and why. */
    record GroupFailed(String group, long id, String to, String reason) implements GroupEvents {
        public String type() {
            return "failed";
        }

        public void fields(FieldWriter w) {
            w.num("id", id).str("to", to).str("reason", reason).str("group", group);
        }
    }

    /** Messages of {@code from} are missing (sequences {@code first} to {@code first + missing - 1} at least) after the mailbox was read. */
    record GroupGap(String group, String from, long first, long missing) implements GroupEvents {
        public String type() {
            return "group_gap";
        }

        public void fields(FieldWriter w) {
            w.str("group", group).str("from", from).num("first", first).num("missing", missing);
        }
    }

    /** One group in {@code groups}: your role in it. */
    record GroupRow(String group, String role, long version) implements Part {
        public void fields(FieldWriter w) {
            w.str("group", group).str("role", role).num("version", version);
        }
    }

    /** The answer to /groups: the groups you are in or invited to. */
    record Groups(List<GroupRow> groups) implements GroupEvents {
        public Groups {
            groups = List.copyOf(groups);
        }

        public String type() {
            return "groups";
        }

        public void fields(FieldWriter w) {
            w.parts("groups", groups);
        }
    }

    /** One member in {@code group_members}: role and presence as the registry lets you see it. */
    record MemberRow(String user, String role, String state) implements Part {
        public void fields(FieldWriter w) {
            w.str("user", user).str("role", role).str("state", state);
        }
    }

    /** The answer to /group members. */
    record GroupMembers(String group, List<MemberRow> members) implements GroupEvents {
        public GroupMembers {
            members = List.copyOf(members);
        }

        public String type() {
            return "group_members";
        }

        public void fields(FieldWriter w) {
            w.str("group", group).parts("members", members);
        }
    }

    /** One message in {@code group_history}; {@code reached}: members who have it (your own messages), else -1. */
    record GroupLine(String from, long id, String text, long sentAt, int reached) implements Part {
        public void fields(FieldWriter w) {
            w.str("from", from).num("id", id).str("text", text).num("sent_at", sentAt).num("reached", reached);
        }
    }

    /** The answer to /history #group, in the order every member displays; {@code hidden}: messages of users you blocked. */
    record GroupHistory(String group, List<GroupLine> messages, int hidden) implements GroupEvents {
        public GroupHistory {
            messages = List.copyOf(messages);
        }

        public String type() {
            return "group_history";
        }

        public void fields(FieldWriter w) {
            w.str("group", group).parts("messages", messages).num("hidden", hidden);
        }
    }
}
