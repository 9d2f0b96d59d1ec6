package parley.peer.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder between a peer and the registry (TLS passes through untouched) that can hold
 * what goes one way: {@link #holdRequests} keeps every byte the peer sends from then on (a request
 * under way never reaches the registry), {@link #holdReplies} every byte the registry sends (the
 * registry acts on a request, the peer never hears the answer). Held bytes are never forwarded; a
 * test kills the peer meanwhile. Each direction is one thread per connection, blocking I/O.
 */
final class HoldingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean requestsHeld;
    private volatile boolean repliesHeld;
    private volatile boolean closed;

    HoldingProxy(InetSocketAddress upstream) throws IOException {
        this.upstream = upstream;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "holding-proxy");
        t.setDaemon(true);
        t.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    }

    void holdRequests() {
        requestsHeld = true;
    }

    void holdReplies() {
        repliesHeld = true;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(upstream.getAddress(), upstream.getPort());
                sockets.add(client);
                sockets.add(server);
                forward(client, server, true);
                forward(server, client, false);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void forward(Socket from, Socket to, boolean requests) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (requests ? requestsHeld : repliesHeld) {
                        continue; // held: these bytes never arrive
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "holding-proxy-" + (requests ? "up" : "down"));
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // already closed
        }
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }
}
