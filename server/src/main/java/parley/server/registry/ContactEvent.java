package parley.server.registry;

import parley.server.protocol.ContactEventPush;

/**
 * Kinds carried by the CONTACT_EVENT push (one byte). Kept for the peer, which reads them here
 * until its side moves to {@link ContactEventPush}, where they are defined.
 */
public final class ContactEvent {
    public static final int REQUESTED = ContactEventPush.REQUESTED;
    public static final int ACCEPTED = ContactEventPush.ACCEPTED;
    public static final int DECLINED = ContactEventPush.DECLINED;
    public static final int REMOVED = ContactEventPush.REMOVED;

    private ContactEvent() {
    }

    public static String name(int kind) {
        return ContactEventPush.kindName(kind);
    }
}
