package parley.core.tcp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.loop.EventLoop;
import parley.core.loop.Selectable;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Function;

/** A listening socket on a loop. The acceptor picks a handler for each new connection. */
public final class TcpListener implements Selectable {
    private static final Logger log = LoggerFactory.getLogger(TcpListener.class);
    // Accepting is bounded per wake-up so that a connection storm cannot starve established peers.
    private static final int ACCEPTS_PER_WAKEUP = 64;

    private final EventLoop loop;
    private final ServerSocketChannel channel;
    private final Function<TcpConnection, ConnectionHandler> acceptor;
    private final TcpConfig config;
    private final TlsConfig tlsConfig;
    private final SelectionKey key;
    private long accepted;

    private TcpListener(EventLoop loop, ServerSocketChannel channel, Function<TcpConnection, ConnectionHandler> acceptor,
                        TcpConfig config, TlsConfig tlsConfig) throws IOException {
        this.loop = loop;
        this.tlsConfig = tlsConfig;
        this.channel = channel;
        this.acceptor = acceptor;
        this.config = config;
        this.key = loop.register(channel, SelectionKey.OP_ACCEPT, this);
    }

    /** Binds and starts accepting. Loop thread only. */
    public static TcpListener bind(EventLoop loop, InetSocketAddress address,
                                   Function<TcpConnection, ConnectionHandler> acceptor, TcpConfig config) throws IOException {
        return bind(loop, address, acceptor, config, null);
    }

    /**
     * Binds and starts accepting TLS connections ({@code tlsConfig} null: plaintext). The acceptor
     * runs at accept time; the handler's {@code onOpen} waits for the handshake. Loop thread only.
     */
    public static TcpListener bind(EventLoop loop, InetSocketAddress address,
                                   Function<TcpConnection, ConnectionHandler> acceptor, TcpConfig config,
                                   TlsConfig tlsConfig) throws IOException {
        return bind(loop, address, acceptor, config, tlsConfig, false);
    }

    /**
     * As above; with {@code reusePort}, SO_REUSEPORT: several processes (one loop each) may bind
     * the same address and port, and the kernel spreads new connections among them. All must
     * set it, and on Linux run as the same user.
     */
    public static TcpListener bind(EventLoop loop, InetSocketAddress address,
                                   Function<TcpConnection, ConnectionHandler> acceptor, TcpConfig config,
                                   TlsConfig tlsConfig, boolean reusePort) throws IOException {
        if (tlsConfig != null && tlsConfig.client) {
            throw new IllegalArgumentException("a listener needs a server-side TlsConfig");
        }
        loop.assertInLoop();
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (reusePort) {
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            ch.bind(address, 1024);
            return new TcpListener(loop, ch, acceptor, config, tlsConfig);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public void onReady(SelectionKey k) {
        for (int i = 0; i < ACCEPTS_PER_WAKEUP; i++) {
            SocketChannel ch;
            try {
                ch = channel.accept();
            } catch (IOException e) {
                // Typically EMFILE: log and try again on the next wake-up rather than dying.
                log.warn("accept failed: {}", e.toString());
                return;
            }
            if (ch == null) {
                return;
            }
            accepted++;
            try {
                TcpConnection c = Connecting.accepted(loop, ch, config, tlsConfig);
                ConnectionHandler h = acceptor.apply(c);
                if (h == null) {
                    ch.close();
                    continue;
                }
                c.start(h);
            } catch (IOException | RuntimeException e) {
                log.warn("could not set up an accepted connection: {}", e.toString());
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // already failing; nothing more to do
                }
            }
        }
    }

    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public long acceptedCount() {
        return accepted;
    }

    public void close() {
        key.cancel();
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("listener close failed", e);
        }
    }

    @Override
    public void failed(Throwable cause) {
        log.error("listener failed", cause);
    }

    @Override
    public void closeForShutdown() {
        close();
    }
}
