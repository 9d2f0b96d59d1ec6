package parley.server.store;

/**
 * One mailbox entry as stored: its per-recipient sequence, kind, when it was put there, and for a
 * {@link #SEALED} entry the opaque blob, for an {@link #EXPIRED} notice the name of the recipient
 * the expired mail was for ({@code about}) and that mail's id. Storage's own terms; the registry
 * writes them to the wire.
 */
public record MailRow(long sequence, int kind, long depositedAtMillis, byte[] blob, String about, long messageId) {
    public static final int SEALED = 1;
    public static final int EXPIRED = 2;
}
