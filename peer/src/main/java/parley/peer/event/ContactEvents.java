package parley.peer.event;

import java.util.List;

/**
 * Contact and presence events, and the user entries they list.
 * One record per event of docs/peer-events.md; see {@link PeerEvent} for the contract.
 */
public sealed interface ContactEvents extends PeerEvent {
    /** A user with presence, in {@code who} and {@code contacts}; state as {@link Presence}. */
    record UserState(String user, String state, long lastSeen) implements Part {
        public void fields(FieldWriter w) {
            w.str("user", user).str("state", state).num("last_seen", lastSeen);
        }
    }

    /** The answer to /who. */
    record Who(List<UserState> users) implements ContactEvents {
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
                    List<String> verified) implements ContactEvents {
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
    record ContactRequest(String from) implements ContactEvents {
        public String type() {
            return "contact_request";
        }

        public void fields(FieldWriter w) {
            w.str("from", from);
        }
    }

    /** A contact change you made or that reached you: requested, accepted, declined, removed, blocked, unblocked. */
    record Contact(String user, String change) implements ContactEvents {
        public String type() {
            return "contact";
        }

        public void fields(FieldWriter w) {
            w.str("user", user).str("change", change);
        }
    }

    /** A contact's presence changed: online, away, offline, or stale (no confirmation within the lease). */
    record Presence(String user, String state, long lastSeen) implements ContactEvents {
        public String type() {
            return "presence";
        }

        public void fields(FieldWriter w) {
            w.str("user", user).str("state", state).num("last_seen", lastSeen);
        }
    }
}
