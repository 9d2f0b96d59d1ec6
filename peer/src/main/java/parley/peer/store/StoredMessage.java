package parley.peer.store;

/** A row of the local history: a message sent or received, with its delivery state. */
public final class StoredMessage {
    public static final String PENDING = "pending";
    /**
     * On its way to the recipient's mailbox: being sealed or deposited (PROTOCOL.md 7.11). Set
     * before sealing starts, so a process that dies meanwhile deposits it again at the next start
     * (MAIL_DEPOSIT is idempotent by message id) instead of reporting it failed.
     */
    public static final String MAILING = "mailing";
    /** In the recipient's mailbox in the registry, sealed (PROTOCOL.md 7.11); survives restarts. */
    public static final String QUEUED = "queued";
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";
    public static final String RECEIVED = "received";

    public final long id;
    public final String peer;
    public final boolean outgoing;
    public final String text;
    public final long sentAt;
    public final String state;
    public final String reason;

    public StoredMessage(long id, String peer, boolean outgoing, String text, long sentAt, String state, String reason) {
        this.id = id;
        this.peer = peer;
        this.outgoing = outgoing;
        this.text = text;
        this.sentAt = sentAt;
        this.state = state;
        this.reason = reason;
    }
}
