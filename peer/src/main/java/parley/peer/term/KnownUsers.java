package parley.peer.term;

import parley.peer.event.PeerEvent;
import parley.peer.event.TerminalSafe;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The usernames this peer has heard of, for tab completion: filled by the output thread from
 * events, read by the input thread while completing.
 */
public final class KnownUsers {
    private final Set<String> names = new ConcurrentSkipListSet<>(String.CASE_INSENSITIVE_ORDER);

    public void apply(PeerEvent e) {
        // A name a terminal would act on is never offered (see add): completion would echo it raw.
        if (e instanceof PeerEvent.Who w) {
            w.users().forEach(u -> add(u.user()));
        } else if (e instanceof PeerEvent.Contacts c) {
            c.contacts().forEach(u -> add(u.user()));
            c.incoming().forEach(this::add);
            c.outgoing().forEach(this::add);
            c.blocked().forEach(this::add);
        } else {
            String name = named(e);
            if (name != null) {
                add(name);
            }
        }
    }

    /** The user named in an event's top-level user, from or to field (logged_in aside), if any. */
    private static String named(PeerEvent e) {
        if (e instanceof PeerEvent.Message m) {
            return m.from();
        } else if (e instanceof PeerEvent.Sending s) {
            return s.to();
        } else if (e instanceof PeerEvent.Delivered d) {
            return d.to();
        } else if (e instanceof PeerEvent.Failed f) {
            return f.to();
        } else if (e instanceof PeerEvent.Presence p) {
            return p.user();
        } else if (e instanceof PeerEvent.ContactRequest r) {
            return r.from();
        } else if (e instanceof PeerEvent.Contact c) {
            return c.user();
        } else if (e instanceof PeerEvent.SessionRequest r) {
            return r.from();
        } else if (e instanceof PeerEvent.SessionOpen o) {
            return o.user();
        } else if (e instanceof PeerEvent.SessionDeclined d) {
            return d.user();
        } else if (e instanceof PeerEvent.SessionClosed c) {
            return c.user();
        } else if (e instanceof PeerEvent.HeldBack h) {
            return h.from();
        } else if (e instanceof PeerEvent.Chat c) {
            return c.user();
        } else if (e instanceof PeerEvent.History h) {
            return h.user();
        } else if (e instanceof PeerEvent.Verify v) {
            return v.user();
        } else if (e instanceof PeerEvent.Registered r) {
            return r.user();
        } else if (e instanceof PeerEvent.LoggedOut l) {
            return l.user();
        } else if (e instanceof PeerEvent.Stats s) {
            return s.user();
        }
        return null;
    }

    private void add(String name) {
        if (TerminalSafe.escape(name).equals(name) && name.indexOf(' ') < 0) {
            names.add(name);
        }
    }

    public Set<String> snapshot() {
        return new TreeSet<>(names);
    }
}
