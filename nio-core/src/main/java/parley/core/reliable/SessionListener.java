package parley.core.reliable;

import java.nio.ByteBuffer;

/**
 * What the application hears from a {@link ReliableSession}, on the loop thread. Only {@link #onMessage} is required; the
 * rest default to doing nothing (or, for a rejection, to a failure), so an implementation
 * overrides just the events it cares about and nobody forwards the others by hand.
 */
public interface SessionListener {
    /** A whole message, in order, once. Valid only during the call. */
    void onMessage(ByteBuffer message);

    /**
     * A whole message of stream 1, the bulk stream (PROTOCOL.md 9.9), in order, once; valid only
     * during the call. By default the same as a stream 0 message: the payload says what it is.
     */
    default void onBulkMessage(ByteBuffer message) {
        onMessage(message);
    }

    /**
     * The peer's application took message {@code messageId}. Ids of messages sent on stream 1
     * ({@link ReliableSession#sendBulk}) are at least 2^62, so they never equal a stream 0 id.
     */
    default void onDelivered(long messageId) {
    }

    /** Message {@code messageId} will never be delivered (the session died, or it was rejected). */
    default void onFailed(long messageId, String reason) {
    }

    /**
     * The peer's application rejected message {@code messageId} (a REJECT frame) with an
     * application-defined reason code 1-255; it is never reported delivered. By default a failure.
     */
    default void onRejected(long messageId, int reason) {
        onFailed(messageId, "rejected by the peer's application (reason " + reason + ")");
    }

    /** The session ended; every undelivered message was reported failed just before. */
    default void onDead(String reason) {
    }

    /** Room in the send buffer again after {@link ReliableSession#send} refused a message. */
    default void onWritable() {
    }

    default void onRttSample(long rttNanos) {
    }

    /**
     * False while the application cannot take another message (its store is backed up, say).
     * Delivery then stops, the delivered offset stops, and so the window the sender may fill
     * stops: back-pressure reaches the sender, and nothing acknowledged is dropped. Call
     * {@link ReliableSession#resumeDelivery} when it can take messages again.
     */
    default boolean acceptsMessages() {
        return true;
    }

    /**
     * The same for stream 1 (bulk data) alone: while false, stream 1's delivery, delivered offset
     * and window stop, and stream 0 flows on. By default what {@link #acceptsMessages} says.
     * {@link ReliableSession#resumeDelivery} resumes both streams.
     */
    default boolean acceptsBulk() {
        return acceptsMessages();
    }
}
