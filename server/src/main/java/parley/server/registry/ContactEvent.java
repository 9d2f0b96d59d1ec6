package parley.server.registry;

/** Kinds carried by the CONTACT_EVENT push (one byte). */
public final class ContactEvent {
    public static final int REQUESTED = 1;
    public static final int ACCEPTED = 2;
    public static final int DECLINED = 3;
    public static final int REMOVED = 4;

    private ContactEvent() {
    }

    public static String name(int kind) {
        switch (kind) {
            case REQUESTED: return "requested";
            case ACCEPTED: return "accepted";
            case DECLINED: return "declined";
            case REMOVED: return "removed";
            default: return "unknown";
        }
    }
}
