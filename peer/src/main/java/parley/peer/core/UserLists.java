package parley.peer.core;

import parley.core.wire.BodyReader;
import parley.server.protocol.ContactsReply;
import parley.server.protocol.PresenceState;
import parley.server.protocol.UserEntry;
import parley.server.protocol.UserList;

import java.util.ArrayList;
import java.util.List;

/**
 * The user lists of the registry's WHO and CONTACTS answers: decoded by the protocol records
 * ({@link UserList}, {@link ContactsReply}) and turned into the peer's values where the answer
 * arrives. Every name is checked by {@link NetworkNames}: one that breaks the rule makes the whole
 * answer malformed.
 */
final class UserLists {
    /** One user with presence, as the registry sent it. */
    record Listed(String user, int state, long lastSeen) {
        /** The state, with a code this peer does not know taken as offline. */
        int knownState() {
            return state == PresenceState.ONLINE || state == PresenceState.AWAY ? state : PresenceState.OFFLINE;
        }
    }

    /** A CONTACTS answer: contacts with presence, requests to us, our requests, blocked users. */
    record Contacts(List<Listed> contacts, List<String> incoming, List<String> outgoing, List<String> blocked) {
        /** A CONTACTS answer, decoded by {@link ContactsReply}; every name checked. */
        static Contacts read(BodyReader r) {
            ContactsReply c = ContactsReply.decode(r);
            return new Contacts(listed(c.contacts()), names(c.incoming()), names(c.outgoing()), names(c.blocked()));
        }
    }

    private UserLists() {
    }

    /** A WHO or SEARCH answer, decoded by {@link UserList}; every name checked. */
    static List<Listed> users(BodyReader r) {
        return listed(UserList.decode(r).users());
    }

    private static List<Listed> listed(List<UserEntry> entries) {
        List<Listed> out = new ArrayList<>(entries.size());
        for (UserEntry e : entries) {
            out.add(new Listed(NetworkNames.checked(e.name()), e.presence(), e.lastSeenMillis()));
        }
        return out;
    }

    private static List<String> names(List<String> names) {
        for (String n : names) {
            NetworkNames.checked(n);
        }
        return names;
    }
}
