package parley.peer.event;

import java.util.List;

/**
 * One thing that happened, as the user sees it: one record per event of docs/peer-events.md.
 * The loop creates them with typed values; they are rendered to text ({@link TextFormat}) or a
 * JSON line ({@link Json}) only at the edge, on the output thread. Records are immutable (their
 * lists are copied), so they may cross from the loop to the output thread as they are.
 *
 * <p>{@link #fields} is the JSON contract of each event: the documented field names in the
 * documented order. {@code GoldenOutputTest} holds every record's JSON line and text, and fails when
 * a record is missing from it, so a new event cannot ship without both.
 */
public sealed interface PeerEvent {
    /** The JSON {@code event} name. */
    String type();

    /** Writes the fields in their documented order. */
    void fields(FieldWriter w);

    /** A part of an event that is itself a JSON object: a list entry. */
    interface Part {
        void fields(FieldWriter w);
    }

    // ---- list entries ---------------------------------------------------------------------------

    /** A user with presence, in {@code who} and {@code contacts}; state as {@link Presence}. */
    record UserState(String user, String state, long lastSeen) implements Part {
        public void fields(FieldWriter w) {
            w.str("user", user).str("state", state).num("last_seen", lastSeen);
        }
    }

    /** One stored message in {@code history}; reason is null unless it failed. */
    record HistoryEntry(long id, String from, String text, long sentAt, String state, String reason) implements Part {
        public void fields(FieldWriter w) {
            w.num("id", id).str("from", from).str("text", text).num("sent_at", sentAt).str("state", state)
                    .str("reason", reason);
        }
    }

    /** One peer session in {@code stats}; RTTs are {@link #NO_SAMPLE} before the first sample. */
    record SessionRow(String user, long rttP50Micros, long rttP99Micros, long rttMaxMicros, long retransmissions,
                      double loss, long bytesSent, long bytesReceived, String path) implements Part {
        public static final long NO_SAMPLE = -1;

        public void fields(FieldWriter w) {
            w.str("user", user).str("path", path).optNum("rtt_p50_us", rttP50Micros).optNum("rtt_p99_us", rttP99Micros)
                    .optNum("rtt_max_us", rttMaxMicros).num("retransmissions", retransmissions).dbl("loss", loss)
                    .num("bytes_sent", bytesSent).num("bytes_received", bytesReceived);
        }
    }

    // ---- events, in the order of docs/peer-events.md ----------------------------------------------

    /** The peer started and bound its UDP socket. */
    record Ready(String server, int udpPort, String dataDir) implements PeerEvent {
        public String type() {
            return "ready";
        }

        public void fields(FieldWriter w) {
            w.str("server", server).num("udp_port", udpPort).str("data_dir", dataDir);
        }
    }

    /** The registry connection changed: unreachable, lost or connected; detail may be null. */
    record Connection(String state, String detail) implements PeerEvent {
        public String type() {
            return "connection";
        }

        public void fields(FieldWriter w) {
            w.str("state", state).str("detail", detail);
        }
    }

    /** /register succeeded. */
    record Registered(String user) implements PeerEvent {
        public String type() {
            return "registered";
        }

        public void fields(FieldWriter w) {
            w.str("user", user);
        }
    }

    /** Login succeeded; relogin when it was automatic after a reconnect. */
    record LoggedIn(String user, String visibility, boolean relogin) implements PeerEvent {
        public String type() {
            return "logged_in";
        }

        public void fields(FieldWriter w) {
            w.str("user", user).str("visibility", visibility).bool("relogin", relogin);
        }
    }

    /** /logout done. */
    record LoggedOut(String user) implements PeerEvent {
        public String type() {
            return "logged_out";
        }

        public void fields(FieldWriter w) {
            w.str("user", user);
        }
    }

    /** The answer to /who. */
    record Who(List<UserState> users) implements PeerEvent {
        public Who {
            users = List.copyOf(users);
        }

        public String type() {
            return "who";
        }

        public void fields(FieldWriter w) {
            w.parts("users", users);
        }
    }

    /** The answer to /contacts. */
    record Contacts(List<UserState> contacts, List<String> incoming, List<String> outgoing, List<String> blocked,
                    List<String> verified) implements PeerEvent {
        public Contacts {
            contacts = List.copyOf(contacts);
            incoming = List.copyOf(incoming);
            outgoing = List.copyOf(outgoing);
            blocked = List.copyOf(blocked);
            verified = List.copyOf(verified);
        }

        public String type() {
            return "contacts";
        }

        public void fields(FieldWriter w) {
            w.parts("contacts", contacts).strs("incoming", incoming).strs("outgoing", outgoing).strs("blocked", blocked).strs("verified", verified);
        }
    }

    /** Someone asked to become your contact. */
    record ContactRequest(String from) implements PeerEvent {
        public String type() {
            return "contact_request";
        }

        public void fields(FieldWriter w) {
            w.str("from", from);
        }
    }

    /** A contact change you made or that reached you: requested, accepted, declined, removed, blocked, unblocked. */
    record Contact(String user, String change) implements PeerEvent {
        public String type() {
            return "contact";
        }

        public void fields(FieldWriter w) {
            w.str("user", user).str("change", change);
        }
    }

    /** Someone wants a chat session. */
    record SessionRequest(String from, int invite) implements PeerEvent {
        public String type() {
            return "session_request";
        }

        public void fields(FieldWriter w) {
            w.str("from", from).num("invite", invite);
        }
    }

    /** An encrypted peer session is open. */
    record SessionOpen(String user, String fingerprint) implements PeerEvent {
        public String type() {
            return "session_open";
        }

        public void fields(FieldWriter w) {
            w.str("user", user).str("fingerprint", fingerprint);
        }
    }

    /** Your session request was not accepted. */
    record SessionDeclined(String user, String reason) implements PeerEvent {
        public String type() {
            return "session_declined";
        }

        public void fields(FieldWriter w) {
            w.str("user", user).str("reason", reason);
        }
    }

    /**
     * Where a chat session's datagrams go (/path, and every change): kind "direct" or "relayed";
     * local is our UDP socket, remote the peer's address or the relay's; rtt_us null before a sample.
     */
    record Path(String user, String kind, String local, String remote, long rttMicros) implements PeerEvent {
        public String type() {
            return "path";
        }

        public void fields(FieldWriter w) {
            w.str("user", user).str("kind", kind).str("local", local).str("remote", remote).optNum("rtt_us", rttMicros);
        }
    }

    /** A peer session ended. */
    record SessionClosed(String user, String reason) implements PeerEvent {
        public String type() {
            return "session_closed";
        }

        public void fields(FieldWriter w) {
            w.str("user", user).str("reason", reason);
        }
    }

    /** A message arrived; id is the sender's. */
    record Message(String from, long id, String text, long sentAt) implements PeerEvent {
        public String type() {
            return "message";
        }

        public void fields(FieldWriter w) {
            w.str("from", from).num("id", id).str("text", text).num("sent_at", sentAt);
        }
    }

    /** Messages from {@code from} that arrived (and were stored) while the output was too far behind to show them. */
    record HeldBack(String from, long count) implements PeerEvent {
        public String type() {
            return "held_back";
        }

        public void fields(FieldWriter w) {
            w.str("from", from).num("count", count);
        }
    }

    /** You sent a message; it is on its way. */
    record Sending(long id, String to, String text) implements PeerEvent {
        public String type() {
            return "sending";
        }

        public void fields(FieldWriter w) {
            w.num("id", id).str("to", to).str("text", text);
        }
    }

    /** The peer acknowledged a message. */
    record Delivered(long id, String to) implements PeerEvent {
        public String type() {
            return "delivered";
        }

        public void fields(FieldWriter w) {
            w.num("id", id).str("to", to);
        }
    }

    /** The contact was offline or unreachable: the message is sealed in their mailbox in the registry. */
    record Queued(long id, String to) implements PeerEvent {
        public String type() {
            return "queued";
        }

        public void fields(FieldWriter w) {
            w.num("id", id).str("to", to);
        }
    }

    /** A message will not be delivered, and why. */
    record Failed(long id, String to, String reason) implements PeerEvent {
        public String type() {
            return "failed";
        }

        public void fields(FieldWriter w) {
            w.num("id", id).str("to", to).str("reason", reason);
        }
    }

    /** A contact's presence changed: online, away, offline, or stale (no confirmation within the lease). */
    record Presence(String user, String state, long lastSeen) implements PeerEvent {
        public String type() {
            return "presence";
        }

        public void fields(FieldWriter w) {
            w.str("user", user).str("state", state).num("last_seen", lastSeen);
        }
    }

    /** /visibility done. */
    record Visibility(String level) implements PeerEvent {
        public String type() {
            return "visibility";
        }

        public void fields(FieldWriter w) {
            w.str("level", level);
        }
    }

    /** /chat switched the current partner. */
    record Chat(String user) implements PeerEvent {
        public String type() {
            return "chat";
        }

        public void fields(FieldWriter w) {
            w.str("user", user);
        }
    }

    /** The answer to /history, oldest first. */
    record History(String user, List<HistoryEntry> messages) implements PeerEvent {
        public History {
            messages = List.copyOf(messages);
        }

        public String type() {
            return "history";
        }

        public void fields(FieldWriter w) {
            w.str("user", user).parts("messages", messages);
        }
    }

    /** The answer to /verify: the safety number; fingerprint is the open session's, or null. */
    record Verify(String user, String fingerprint, String safetyNumber, boolean verified) implements PeerEvent {
        public String type() {
            return "verify";
        }

        public void fields(FieldWriter w) {
            w.str("user", user).str("fingerprint", fingerprint).str("safety_number", safetyNumber).bool("verified", verified);
        }
    }

    /** A contact's identity key is not the pinned one; old and new are short fingerprints. */
    record IdentityChanged(String user, String old, String now, boolean held) implements PeerEvent {
        public String type() {
            return "identity_changed";
        }

        public void fields(FieldWriter w) {
            w.str("user", user).str("old", old).str("new", now).bool("held", held);
        }
    }

    /** The answer to /stats; user is you (null when not logged in). */
    record Stats(String user, List<SessionRow> sessions) implements PeerEvent {
        public Stats {
            sessions = List.copyOf(sessions);
        }

        public String type() {
            return "stats";
        }

        public void fields(FieldWriter w) {
            w.parts("sessions", sessions).str("user", user); // this order is the recorded output
        }
    }

    /** The answer to /help: one line per command. */
    record Help(List<String> commands) implements PeerEvent {
        public Help {
            commands = List.copyOf(commands);
        }

        public String type() {
            return "help";
        }

        public void fields(FieldWriter w) {
            w.strs("commands", commands);
        }
    }

    /** Something worth saying that has no event of its own. */
    record Info(String message) implements PeerEvent {
        public String type() {
            return "info";
        }

        public void fields(FieldWriter w) {
            w.str("message", message);
        }
    }

    /** A command (or something the registry sent) failed: message says what went wrong and what to do. */
    record Error(String code, String message) implements PeerEvent {
        public String type() {
            return "error";
        }

        public void fields(FieldWriter w) {
            w.str("code", code).str("message", message);
        }
    }

    /** /quit done; the process exits. */
    record Bye() implements PeerEvent {
        public String type() {
            return "bye";
        }

        public void fields(FieldWriter w) {
            // no fields
        }
    }
}
