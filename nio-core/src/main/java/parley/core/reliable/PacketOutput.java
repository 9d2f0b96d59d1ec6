package parley.core.reliable;

import java.nio.ByteBuffer;

/**
 * Where a {@link ReliableSession} puts its packets: it seals and sends the plaintext frames of
 * one packet ({@link PeerSession} on a socket, a synthetic link in tests).
 */
public interface PacketOutput {
    /** A cleared buffer for one packet's frames, limited to the plaintext room of a datagram. */
    ByteBuffer packetBuffer();

    /** Seals frames [0, position) as {@code packetNumber} and sends; false if the socket was full. */
    boolean transmit(ByteBuffer frames, long packetNumber, boolean carriesData);

    /**
     * The session died, after its undelivered messages were reported failed and just before
     * {@link SessionListener#onDead}: the output lets go of what it holds for the session (its timer,
     * its place in the endpoint), so the listener needs no wrapper to hear the death first.
     */
    default void onSessionEnded(String reason) {
    }
}
