package parley.peer.term;

import parley.peer.event.PeerEvent;
import parley.peer.event.AccountEvents;
import parley.peer.event.ContactEvents;
import parley.peer.event.MessageEvents;
import parley.peer.event.SessionEvents;
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
        if (e instanceof ContactEvents.Who w) {
            w.users().forEach(u -> add(u.user()));
        } else if (e instanceof ContactEvents.Contacts c) {
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
        if (e instanceof MessageEvents.Message m) {
            return m.from();
        } else if (e instanceof MessageEvents.Sending s) {
            return s.to();
        } else if (e instanceof MessageEvents.Delivered d) {
            return d.to();
        } else if (e instanceof MessageEvents.Failed f) {
            return f.to();
        } else if (e instanceof ContactEvents.Presence p) {
            return p.user();
        } else if (e instanceof ContactEvents.ContactRequest r) {
            return r.from();
        } else if (e instanceof ContactEvents.Contact c) {
            return c.user();
        } else if (e instanceof SessionEvents.SessionRequest r) {
            return r.from();
        } else if (e instanceof SessionEvents.SessionOpen o) {
            return o.user();
        } else if (e instanceof SessionEvents.SessionDeclined d) {
            return d.user();
        } else if (e instanceof SessionEvents.SessionClosed c) {
            return c.user();
        } else if (e instanceof MessageEvents.HeldBack h) {
            return h.from();
        } else if (e instanceof MessageEvents.Chat c) {
            return c.user();
        } else if (e instanceof MessageEvents.History h) {
            return h.user();
        } else if (e instanceof SessionEvents.Verify v) {
            return v.user();
        } else if (e instanceof AccountEvents.Registered r) {
            return r.user();
        } else if (e instanceof AccountEvents.LoggedOut l) {
            return l.user();
        } else if (e instanceof SessionEvents.Stats s) {
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
