package parley.bench.relay;

import parley.server.protocol.RelayDatagram;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;

/**
 * The floor the relay is measured against: a plain blocking DatagramChannel loop on its own thread
 * that receives each RELAY datagram and sends its inner bytes to one fixed destination. No checks,
 * no lookup, no selector: the least any UDP forwarder in Java must do per datagram.
 */
final class ForwardingFloor implements AutoCloseable {
    private final DatagramChannel channel;
    private final Thread thread;
    private volatile InetSocketAddress destination;

    ForwardingFloor() throws IOException {
        channel = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        channel.configureBlocking(true);
        thread = new Thread(this::run, "forwarding-floor");
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    void destination(InetSocketAddress to) {
        destination = to;
    }

    private void run() {
        ByteBuffer buf = ByteBuffer.allocateDirect(2048);
        try {
            while (true) {
                buf.clear();
                channel.receive(buf);
                buf.flip();
                InetSocketAddress to = destination;
                if (to != null && buf.remaining() > RelayDatagram.INNER_OFFSET) {
                    buf.position(RelayDatagram.INNER_OFFSET);
                    channel.send(buf, to);
                }
            }
        } catch (ClosedChannelException e) {
            // closed: the round is over
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws Exception {
        channel.close();
        thread.join(5000);
    }
}
