package parley.peer.term;

import parley.peer.event.Event;
import parley.peer.output.TerminalSafe;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The usernames this peer has heard of, for tab completion: filled by the output thread from
 * events, read by the input thread while completing.
 */
public final class KnownUsers {
    private final Set<String> names = new ConcurrentSkipListSet<>(String.CASE_INSENSITIVE_ORDER);

    public void apply(Event e) {
        // A name a terminal would act on is never offered: completion would echo it raw.
        for (String field : new String[]{"user", "from", "to"}) {
            Object v = e.get(field);
            if (v instanceof String && !"logged_in".equals(e.type())) {
                add((String) v);
            }
        }
        for (String field : new String[]{"users", "contacts"}) {
            Object list = e.get(field);
            if (list instanceof List) {
                for (Object o : (List<?>) list) {
                    if (o instanceof Event.Fields) {
                        add(String.valueOf(((Event.Fields) o).get("user")));
                    }
                }
            }
        }
        for (String field : new String[]{"incoming", "outgoing", "blocked"}) {
            Object list = e.get(field);
            if (list instanceof List) {
                for (Object o : (List<?>) list) {
                    add(String.valueOf(o));
                }
            }
        }
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
