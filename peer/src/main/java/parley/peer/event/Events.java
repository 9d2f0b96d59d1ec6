package parley.peer.event;

import java.util.List;

/**
 * Constructors for every event a peer emits, one method per event, so the field names live in one
 * place and match docs/peer-events.md.
 */
public final class Events {
    // Error codes of the client itself; registry codes travel under their protocol names.
    public static final String UNKNOWN_COMMAND = "UNKNOWN_COMMAND";
    public static final String USAGE = "USAGE";
    public static final String NOT_LOGGED_IN = "NOT_LOGGED_IN";
    public static final String REGISTRY_UNREACHABLE = "REGISTRY_UNREACHABLE";
    public static final String MESSAGE_TOO_LARGE = "MESSAGE_TOO_LARGE";
    public static final String NO_CHAT_PARTNER = "NO_CHAT_PARTNER";
    public static final String NO_SESSION = "NO_SESSION";
    public static final String STORAGE = "STORAGE";
    public static final String BAD_INPUT = "BAD_INPUT";

    private Events() {
    }

    public static Event ready(String server, int udpPort, String dataDir) {
        return Event.of("ready").with("server", server).with("udp_port", udpPort).with("data_dir", dataDir);
    }

    public static Event registered(String user) {
        return Event.of("registered").with("user", user);
    }

    public static Event loggedIn(String user, String visibility, boolean relogin) {
        return Event.of("logged_in").with("user", user).with("visibility", visibility).with("relogin", relogin);
    }

    public static Event loggedOut(String user) {
        return Event.of("logged_out").with("user", user);
    }

    public static Event who(List<Event.Fields> users) {
        return Event.of("who").with("users", users);
    }

    public static Event.Fields userEntry(String user, String state, long lastSeen) {
        return new Event.Fields().put("user", user).put("state", state).put("last_seen", lastSeen);
    }

    public static Event contacts(List<Event.Fields> contacts, List<String> incoming, List<String> outgoing,
                                 List<String> blocked) {
        return Event.of("contacts").with("contacts", contacts).with("incoming", incoming)
                .with("outgoing", outgoing).with("blocked", blocked);
    }

    public static Event contactRequest(String from) {
        return Event.of("contact_request").with("from", from);
    }

    /** change: requested (sent by you), accepted, declined, removed, blocked, unblocked. */
    public static Event contact(String user, String change) {
        return Event.of("contact").with("user", user).with("change", change);
    }

    public static Event sessionRequest(String from, int invite) {
        return Event.of("session_request").with("from", from).with("invite", invite);
    }

    public static Event sessionOpen(String user, String fingerprint) {
        return Event.of("session_open").with("user", user).with("fingerprint", fingerprint);
    }

    public static Event sessionDeclined(String user, String reason) {
        return Event.of("session_declined").with("user", user).with("reason", reason);
    }

    public static Event sessionClosed(String user, String reason) {
        return Event.of("session_closed").with("user", user).with("reason", reason);
    }

    public static Event message(String from, long id, String text, long sentAt) {
        return Event.of("message").with("from", from).with("id", id).with("text", text).with("sent_at", sentAt);
    }

    /** Messages from {@code from} that arrived (and were stored) while the output was too far behind to show them. */
    public static Event heldBack(String from, long count) {
        return Event.of("held_back").with("from", from).with("count", count);
    }

    public static Event sending(long id, String to, String text) {
        return Event.of("sending").with("id", id).with("to", to).with("text", text);
    }

    public static Event delivered(long id, String to) {
        return Event.of("delivered").with("id", id).with("to", to);
    }

    public static Event failed(long id, String to, String reason) {
        return Event.of("failed").with("id", id).with("to", to).with("reason", reason);
    }

    /** state: online, away, offline, or stale (no update within the lease). */
    public static Event presence(String user, String state, long lastSeen) {
        return Event.of("presence").with("user", user).with("state", state).with("last_seen", lastSeen);
    }

    public static Event visibility(String level) {
        return Event.of("visibility").with("level", level);
    }

    public static Event chat(String user) {
        return Event.of("chat").with("user", user);
    }

    public static Event history(String user, List<Event.Fields> messages) {
        return Event.of("history").with("user", user).with("messages", messages);
    }

    public static Event verify(String user, String fingerprint) {
        return Event.of("verify").with("user", user).with("fingerprint", fingerprint);
    }

    public static Event stats(List<Event.Fields> sessions) {
        return Event.of("stats").with("sessions", sessions);
    }

    public static Event help(List<String> lines) {
        return Event.of("help").with("commands", lines);
    }

    public static Event connection(String state, String detail) {
        return Event.of("connection").with("state", state).with("detail", detail);
    }

    public static Event info(String message) {
        return Event.of("info").with("message", message);
    }

    public static Event error(String code, String message) {
        return Event.of("error").with("code", code).with("message", message);
    }

    public static Event bye() {
        return Event.of("bye");
    }
}
