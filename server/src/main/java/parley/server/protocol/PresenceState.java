package parley.server.protocol;

/** Presence as it travels in WHO, SEARCH, CONTACTS and PRESENCE bodies (one byte). */
public final class PresenceState {
    public static final int OFFLINE = 0;
    public static final int ONLINE = 1;
    public static final int AWAY = 2;

    private PresenceState() {
    }

    public static String name(int s) {
        switch (s) {
            case ONLINE: return "online";
            case AWAY: return "away";
            default: return "offline";
        }
    }
}
