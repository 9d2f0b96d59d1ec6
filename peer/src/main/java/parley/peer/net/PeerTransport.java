package parley.peer.net;

import parley.core.reliable.PathPlan;
import parley.core.reliable.SessionPath;

import parley.core.crypto.X25519KeyPair;

import java.net.InetSocketAddress;
import java.util.List;
import java.nio.ByteBuffer;

/**
 * What the peer needs from the encrypted, reliable UDP layer, on the peer's loop: one socket,
 * many sessions keyed by the local 64-bit session id. Loop thread only.
 */
public interface PeerTransport {
    /** Callbacks on the loop thread. */
    interface Listener {
        /**
         * A whole message, in order, once, from position to limit of the channel's own buffer:
         * decode it during the call and copy only what must outlive it. Returns 0 to take it, or
         * an application reason code 1-255 to reject it: the sender is then told (a REJECT frame)
         * and fails that message.
         */
        int onMessage(long sessionId, ByteBuffer payload);

        /**
         * A whole message of the session's stream 1, the bulk stream (PROTOCOL.md 9.9: file data),
         * as {@link #onMessage}; a reason code 1-255 drops it without telling the sender (stream 1
         * has no REJECT). By default the same as a stream 0 message.
         */
        default int onBulkMessage(long sessionId, ByteBuffer payload) {
            return onMessage(sessionId, payload);
        }

        /** The peer's application rejected our message with a reason code; it was not delivered. */
        default void onRejected(long sessionId, long messageId, int reason) {
            onFailed(sessionId, messageId, "rejected by the peer (reason " + reason + ")");
        }

        void onDelivered(long sessionId, long messageId);

        void onFailed(long sessionId, long messageId, String reason);

        /** The session is gone; every message not delivered was reported failed before this. */
        void onSessionDead(long sessionId, String reason);

        /** The session now sends on {@code path} (moved to a direct path, fell back to the relay...). */
        default void onPathChanged(long sessionId, SessionPath path, String why) {
        }

        /** A round of hole punching ended: {@code direct} if a direct path validated, else it gave up. */
        default void onPunchingEnded(long sessionId, boolean direct) {
        }

        /**
         * Data left session {@code sessionId} (an ack, or room in the socket): a bulk sender whose
         * {@link PeerTransport#sendBulk} was refused tries again now.
         */
        default void onBulkRoom(long sessionId) {
        }

        /** A datagram that belongs to no session, such as the registry's answer to a UDP probe. */
        default void onStrayDatagram(InetSocketAddress from, ByteBuffer datagram) {
        }
    }

    InetSocketAddress localAddress();

    /** Returned by {@link #send} when the session cannot take the message now. */
    long REFUSED = -1;

    /** Opens a session: our X25519 key pair and id, theirs, and where they are. */
    void open(long localId, long remoteId, X25519KeyPair local, byte[] remotePublic, InetSocketAddress remote);

    /**
     * Opens a session whose path follows {@code plan} (relay first and punching, PROTOCOL.md 7.8).
     * A transport with no relays sends to the plan's first address.
     */
    default void open(long localId, long remoteId, X25519KeyPair local, byte[] remotePublic, PathPlan plan) {
        open(localId, remoteId, local, remotePublic, plan.first().address());
    }

    /** Moves an open session onto a relay granted after it opened, punching to {@code targets}. */
    default void attachRelay(long sessionId, SessionPath relay, List<InetSocketAddress> targets, boolean relayOnly) {
    }

    /** True while the session punches (a round of hole punching is under way). */
    default boolean punching(long sessionId) {
        return false;
    }

    /** Where the session sends now, or null (no such session, or a transport without paths). */
    default SessionPath path(long sessionId) {
        return null;
    }

    /**
     * Queues a message (position to limit; copied before this returns, so the caller may reuse the
     * buffer) and returns its id, which onDelivered or onFailed reports later, or {@link #REFUSED}.
     */
    long send(long sessionId, ByteBuffer payload);

    /**
     * Queues a bulk payload (a file chunk or hash list, PROTOCOL.md 9.7) on the session's stream 1
     * (9.9), which is sent only when chat has nothing ready, and only within the session's bulk
     * gate, so the file waits on disk rather than in the session; {@link #REFUSED} until
     * {@link Listener#onBulkRoom}. A transport without streams sends it as any payload.
     */
    default long sendBulk(long sessionId, ByteBuffer payload) {
        return send(sessionId, payload);
    }

    /** The largest payload {@link #send} accepts, and the largest the peer may send us. */
    int maxMessageSize();

    boolean isOpen(long sessionId);

    /** A short fingerprint of both public keys, the same on both sides. */
    String fingerprint(long sessionId);

    SessionStats stats(long sessionId);

    /** Ends a session; undelivered messages are reported failed with {@code reason}. */
    void close(long sessionId, String reason);

    /** Sends one datagram from the transport's socket (the UDP probe to the registry). */
    void sendRaw(ByteBuffer datagram, InetSocketAddress to);

    void shutdown();
}
