package parley.peer.core;

import parley.server.protocol.PresenceState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What this peer believes about other users' presence, and for how long the belief holds. The
 * registry pushes only changes, so its silence confirms the last state only while the registry
 * is reachable: every answered heartbeat confirms all entries. An online entry not confirmed for
 * a whole lease becomes "stale" (the registry may have pushed an offline we could not receive).
 * Pure logic: time is passed in.
 */
public final class PresenceBook {
    public static final String STALE = "stale";

    /** One user as we last heard. */
    public static final class Entry {
        public final String user;
        public int state;
        public long lastSeen;
        long confirmedAt;
        public boolean stale;

        Entry(String user) {
            this.user = user;
        }

        public String shown() {
            return stale ? STALE : PresenceState.name(state);
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /** Records a state from the registry; returns true when what the user sees changed. */
    public boolean update(String user, int state, long lastSeen, long now) {
        Entry e = entries.computeIfAbsent(key(user), k -> new Entry(user));
        boolean changed = e.state != state || e.stale || (state == PresenceState.OFFLINE && e.lastSeen != lastSeen);
        e.state = state;
        e.lastSeen = lastSeen;
        e.confirmedAt = now;
        e.stale = false;
        return changed;
    }

    /** The registry answered a heartbeat: everything it did not push about still holds. */
    public void confirmAll(long now) {
        for (Entry e : entries.values()) {
            if (!e.stale) {
                e.confirmedAt = now;
            }
        }
    }

    /** Entries that were online or away and have not been confirmed within a lease; marks them stale. */
    public List<Entry> expire(long now, long leaseNanos) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (!e.stale && e.state != PresenceState.OFFLINE && now - e.confirmedAt >= leaseNanos) {
                e.stale = true;
                out.add(e);
            }
        }
        return out;
    }

    public Entry get(String user) {
        return entries.get(key(user));
    }

    public void forget(String user) {
        entries.remove(key(user));
    }

    public void clear() {
        entries.clear();
    }

    static String key(String user) {
        return user.toLowerCase(Locale.ROOT);
    }
}
