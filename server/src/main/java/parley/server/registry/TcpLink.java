package parley.server.registry;

import parley.core.tcp.TcpConnection;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** A {@link Link} over a real TCP connection of the event loop. */
final class TcpLink implements Link {
    private final TcpConnection c;

    TcpLink(TcpConnection c) {
        this.c = c;
    }

    @Override
    public ByteBuffer scratch() {
        return c.scratch();
    }

    @Override
    public void write(ByteBuffer frame) {
        c.write(frame);
    }

    @Override
    public void sendError(int correlation, int code, String reason) {
        c.sendError(correlation, code, reason);
    }

    @Override
    public void closeWithError(int correlation, int code, String reason) {
        c.closeWithError(correlation, code, reason);
    }

    @Override
    public boolean isOpen() {
        return c.isOpen();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return c.remoteAddress();
    }

    @Override
    public byte[] channelBinding() {
        javax.net.ssl.SSLSession session = c.isTls() ? c.tlsSession() : null;
        return session == null ? null : parley.core.tls.ChannelBinding.server(session);
    }
}
