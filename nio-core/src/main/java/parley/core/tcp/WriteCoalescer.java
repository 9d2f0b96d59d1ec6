package parley.core.tcp;

import parley.core.loop.WriteBatches;

import java.nio.ByteBuffer;

/**
 * Where a connection's writes wait before they reach the socket, so that replies coalesce. One
 * per connection; loop thread only.
 *
 * <p>While the connection's input is handled, replies gather in the loop's shared batch buffer
 * and leave in one write at the end of the read, as Netty flushes on {@code channelReadComplete}.
 * Inside a batching scope ({@link parley.core.loop.EventLoop#runBatchingWrites}) the connection
 * corks on its first write: its bytes gather in the shared buffer if no other connection holds
 * it, else in the connection's outbound buffer, and nothing goes to the socket until the scope
 * ends; then everything leaves in one write.
 *
 * <p>Order is kept: once any byte waits in the outbound buffer, every later byte queues behind
 * it there, never in a fresh batch that would leave after it.
 */
final class WriteCoalescer {
    private final TcpConnection connection;
    private final WriteBatches batches;
    private final WriteBatches.Deferred uncork = this::uncork;
    // The loop's shared buffer while this connection holds it (a read, or a scope it corked in).
    private ByteBuffer batch;
    // From the first write inside a batching scope to the scope's end: the socket waits.
    private boolean corked;

    WriteCoalescer(TcpConnection connection, WriteBatches batches) {
        this.connection = connection;
        this.batches = batches;
    }

    /** A read begins: its replies gather in the shared buffer (unbatched if a handler nested a read). */
    void beginRead() {
        batch = batches.lend();
    }

    /** While true, the connection must not write to the socket: its bytes wait for the scope's end. */
    boolean corked() {
        return corked;
    }

    /**
     * Takes {@code src} into the shared buffer when it can; answers false when the connection
     * must write it itself (straight to the socket, or to its outbound buffer while corked).
     */
    boolean offer(ByteBuffer src) {
        if (corked != batches.active()) {
            if (corked) {
                uncork(); // the scope ended before our deferred flush: keep the byte order
            } else if (batch == null && connection.isOpen()) {
                cork();
            }
        }
        if (batch == null || connection.pendingBytes() != 0) {
            return false;
        }
        if (src.remaining() > batch.remaining()) {
            flushBatch();
            // If the socket refused part of the batch, the rest waits in outbound: so must
            // everything after it, or a later write would overtake this one.
            batch = connection.pendingBytes() == 0 ? batches.lend() : null;
        }
        if (batch != null && src.remaining() <= batch.remaining()) {
            batch.put(src);
            return true;
        }
        return false;
    }

    /** Writes what the shared buffer gathered and gives it back; the socket's refusal waits in outbound. */
    void flushBatch() {
        ByteBuffer b = batch;
        if (b == null) {
            return;
        }
        batch = null;
        try {
            b.flip();
            if (b.hasRemaining() && connection.canSend()) {
                connection.writeNow(b);
            }
            b.clear();
        } finally {
            batches.giveBack();
        }
    }

    /** Everything waiting goes out now: before a close, or an ERROR that shuts the output. */
    void pushOut() {
        if (corked) {
            uncork();
        } else {
            flushBatch();
        }
    }

    private void cork() {
        corked = true;
        if (connection.pendingBytes() == 0) {
            batch = batches.lend(); // null when another connection has it: bytes wait in outbound
        }
        batches.defer(uncork);
    }

    /** End of the batching scope (or an earlier close): what was held back leaves in one write. */
    private void uncork() {
        if (!corked) {
            return;
        }
        corked = false;
        flushBatch();
        if (connection.pendingBytes() > 0 && connection.canSend()) {
            connection.flushOutbound();
        }
    }
}
