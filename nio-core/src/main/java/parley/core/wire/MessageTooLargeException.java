package parley.core.wire;

/** A message being encoded does not fit the frame or datagram limit. */
public final class MessageTooLargeException extends RuntimeException {
    public MessageTooLargeException(int needed, int limit) {
        super("message of at least " + needed + " bytes exceeds the limit of " + limit + " bytes");
    }
}
