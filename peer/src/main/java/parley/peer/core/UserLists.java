package parley.peer.core;

import parley.core.wire.BodyReader;
import parley.server.protocol.PresenceState;

import java.util.ArrayList;
import java.util.List;

/**
 * The user lists of the registry's WHO and CONTACTS answers, read into values where the answer
 * arrives. Every name is checked by {@link NetworkNames}: one that breaks the rule makes the whole
 * answer malformed.
 */
final class UserLists {
    /** Entries allocated up front at most: a count from the network is not trusted for sizing. */
    private static final int PRESIZE_MAX = 500;

    /** One user with presence, as the registry sent it. */
    record Listed(String user, int state, long lastSeen) {
        /** The state, with a code this peer does not know taken as offline. */
        int knownState() {
            return state == PresenceState.ONLINE || state == PresenceState.AWAY ? state : PresenceState.OFFLINE;
        }
    }

    /** A CONTACTS answer: contacts with presence, requests to us, our requests, blocked users. */
    record Contacts(List<Listed> contacts, List<String> incoming, List<String> outgoing, List<String> blocked) {
        static Contacts read(BodyReader r) {
            return new Contacts(users(r), names(r), names(r), names(r));
        }
    }

    private UserLists() {
    }

    /** A u16 count, then (name, u8 state, i64 last seen) per user: a WHO answer, and CONTACTS' first list. */
    static List<Listed> users(BodyReader r) {
        int n = r.u16();
        List<Listed> out = new ArrayList<>(Math.min(n, PRESIZE_MAX));
        for (int i = 0; i < n; i++) {
            String user = NetworkNames.read(r);
            int state = r.u8();
            long seen = r.i64();
            out.add(new Listed(user, state, seen));
        }
        return out;
    }

    /** A u16 count, then the names. */
    static List<String> names(BodyReader r) {
        int n = r.u16();
        List<String> out = new ArrayList<>(Math.min(n, PRESIZE_MAX));
        for (int i = 0; i < n; i++) {
            out.add(NetworkNames.read(r));
        }
        return out;
    }
}
