package parley.core.tcp;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Callbacks for one TCP connection, all on the loop thread.
 *
 * <p>If {@link #onFrame} throws a {@link parley.core.wire.WireException}, the connection answers
 * with an ERROR carrying that code and the frame's correlation id and stays open: the framing is
 * intact, only the message was bad. Any other exception closes the connection as
 * {@link CloseReason#HANDLER_ERROR}.
 */
public interface ConnectionHandler {
    default void onOpen(TcpConnection connection) {
    }

    /**
     * One whole frame, header included, at {@code offset} in {@code buffer}. The bytes are only
     * valid during the call: copy what must outlive it.
     */
    void onFrame(TcpConnection connection, ByteBuffer buffer, int offset, int length) throws Exception;

    /** The peer half-closed (sent FIN). By default the connection is closed in return. */
    default void onInputClosed(TcpConnection connection) {
        connection.close(CloseReason.PEER_CLOSED);
    }

    /** The outbound buffer crossed the high water mark (false) or drained below the low one (true). */
    default void onWritabilityChanged(TcpConnection connection, boolean writable) {
    }

    /** An outbound connect failed; {@link #onClosed} follows with {@link CloseReason#CONNECT_FAILED}. */
    default void onConnectFailed(TcpConnection connection, IOException cause) {
    }

    default void onClosed(TcpConnection connection, CloseReason reason) {
    }
}
