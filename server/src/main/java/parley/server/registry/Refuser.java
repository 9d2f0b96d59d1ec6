package parley.server.registry;

import parley.core.tcp.ConnectionHandler;
import parley.core.tcp.TcpConnection;

import java.nio.ByteBuffer;

/** Handles a connection the registry cannot take: it is told why, then closed. */
final class Refuser implements ConnectionHandler {
    private final int code;
    private final String reason;

    Refuser(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    @Override
    public void onOpen(TcpConnection c) {
        c.closeWithError(0, code, reason);
    }

    @Override
    public void onFrame(TcpConnection c, ByteBuffer buf, int offset, int length) {
        // Already closing: whatever it sent is not read.
    }
}
