package parley.core.reliable;

import java.nio.ByteBuffer;

/**
 * The receiver's side of REJECT frames: messages its application refused, not yet known to have
 * reached the sender. Every packet carries all of them, ahead of its ACK frame, until the sender
 * acknowledges a packet that carried them. So the sender can never see a delivered offset past a
 * rejected message without having read the rejection first, and "delivered" stays true.
 *
 * <p>Bounded: a peer whose messages are refused faster than it acknowledges loses the session
 * (see {@link #add}). Fixed arrays, nothing allocated after construction.
 */
final class Rejections {
    /** Unconfirmed rejections at most; 64 frames of 10 bytes leave room for an ACK in a datagram. */
    static final int CAPACITY = 64;

    private final long[] end = new long[CAPACITY];
    private final int[] reason = new int[CAPACITY];
    /** The first packet number that carried each rejection; -1 while none has. */
    private final long[] firstPacket = new long[CAPACITY];
    private int count;

    /** Records the rejection of the message ending at stream offset {@code messageEnd}; false when full. */
    boolean add(long messageEnd, int appReason) {
        if (count == CAPACITY) {
            return false;
        }
        end[count] = messageEnd;
        reason[count] = appReason;
        firstPacket[count] = -1;
        count++;
        return true;
    }

    /** True if a rejection has not been sent at all yet: a packet should go out now. */
    boolean unsent() {
        return count > 0 && firstPacket[count - 1] < 0;
    }

    int count() {
        return count;
    }

    /** Writes every unconfirmed REJECT frame into the packet numbered {@code pn}; true if any. */
    boolean write(ByteBuffer out, long pn) {
        for (int i = 0; i < count; i++) {
            Frames.writeReject(out, end[i], reason[i]);
            if (firstPacket[i] < 0) {
                firstPacket[i] = pn;
            }
        }
        return count > 0;
    }

    /**
     * The sender acknowledged packets up to {@code largestAcked}: every rejection carried by a
     * packet at or below it, and so by that packet too (all later packets carry it), is confirmed.
     */
    void confirm(long largestAcked) {
        int kept = 0;
        for (int i = 0; i < count; i++) {
            if (firstPacket[i] >= 0 && firstPacket[i] <= largestAcked) {
                continue;
            }
            end[kept] = end[i];
            reason[kept] = reason[i];
            firstPacket[kept] = firstPacket[i];
            kept++;
        }
        count = kept;
    }
}
