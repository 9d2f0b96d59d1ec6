package parley.core.tcp;

import parley.core.loop.EventLoop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * The start of a {@link TcpConnection}: an accepted channel made ready for the loop, or a non-blocking connect, registered for
 * {@code OP_CONNECT} unless it completed at once, and its completion on the loop. Bytes written
 * while connecting wait in the outbound buffer and leave when the connection is up.
 */
final class Connecting {
    private Connecting() {
    }

/** Wraps an accepted channel; the listener registers it. {@code tlsConfig} is null for plaintext. */
    static TcpConnection accepted(EventLoop loop, SocketChannel channel, TcpConfig config, TlsConfig tlsConfig)
            throws IOException {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        return new TcpConnection(loop, channel, config, (InetSocketAddress) channel.getRemoteAddress(), TcpConnection.State.OPEN,
                tlsConfig);
    }

    static TcpConnection open(EventLoop loop, InetSocketAddress to, ConnectionHandler handler, TcpConfig config,
                              TlsConfig tlsConfig) throws IOException {
        loop.assertInLoop();
        SocketChannel ch = SocketChannel.open();
        TcpConnection c;
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c = new TcpConnection(loop, ch, config, to, TcpConnection.State.CONNECTING, tlsConfig);
            c.handler(handler);
            if (ch.connect(to)) {
                c.state(TcpConnection.State.OPEN);
                c.key(loop.register(ch, SelectionKey.OP_READ, c));
                c.opened();
            } else {
                c.key(loop.register(ch, SelectionKey.OP_CONNECT, c));
            }
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return c;
    }

    /** {@code OP_CONNECT} fired: the connection is up (reading, and writing if bytes wait), or it failed. */
    static void finish(TcpConnection c, SocketChannel channel, SocketWriter writer) {
        try {
            channel.finishConnect();
        } catch (IOException e) {
            c.state(TcpConnection.State.CLOSED);
            c.closeChannel();
            c.handler().onConnectFailed(c, e);
            c.handler().onClosed(c, CloseReason.CONNECT_FAILED);
            return;
        }
        c.state(TcpConnection.State.OPEN);
        c.key().interestOps(SelectionKey.OP_READ | (writer.pending() > 0 ? SelectionKey.OP_WRITE : 0));
        c.opened();
    }
}
