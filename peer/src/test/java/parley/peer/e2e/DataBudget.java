package parley.peer.e2e;

import parley.core.reliable.FaultInjector;

import java.nio.ByteBuffer;

/**
 * A drop rule for a sender's UDP path that lets {@code budget} bytes of large datagrams (file
 * data) through and then drops every further large one until {@link #release()}: a transfer is
 * frozen part-way however fast the host is, so a test can stop a peer "mid-way" without racing
 * the transfer's end. Small datagrams (acks, probes, chat) always pass, so sessions stay up.
 * Asked on the sender's loop thread only; {@link #release()} may come from any thread.
 */
final class DataBudget implements FaultInjector.DropRule {
    /** Larger than any ack, probe or short chat message; file data travels in bigger datagrams. */
    private static final int DATA_BYTES = 1_000;

    private final long budget;
    private long sent;
    private volatile boolean released;

    DataBudget(long budget) {
        this.budget = budget;
    }

    @Override
    public boolean drop(long sequence, ByteBuffer datagram) {
        if (released || datagram.remaining() <= DATA_BYTES) {
            return false;
        }
        if (sent >= budget) {
            return true;
        }
        sent += datagram.remaining();
        return false;
    }

    void release() {
        released = true;
    }
}
