package parley.bench.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;

/**
 * The load for one forwarder: side A sends the same datagram to the forwarder as fast as a window
 * of {@code window} datagrams in flight allows, side B counts what arrives. A closed loop, so a
 * forwarder is measured at the rate it sustains rather than at the rate the kernel drops; a
 * datagram missing for 50 ms counts as lost and frees its place in the window.
 */
final class WindowedBlast implements AutoCloseable {
    private static final long LOSS_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    final DatagramChannel a;
    final DatagramChannel b;
    private final Selector selector;
    private final ByteBuffer in = ByteBuffer.allocateDirect(2048);

    WindowedBlast() throws IOException {
        a = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        b = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        b.configureBlocking(false);
        selector = Selector.open();
        b.register(selector, SelectionKey.OP_READ);
    }

    InetSocketAddress addressOfB() throws IOException {
        return (InetSocketAddress) b.getLocalAddress();
    }

    /** Datagrams B received per second over {@code nanos}, sending {@code datagram} from A to {@code forwarder}. */
    double run(ByteBuffer datagram, InetSocketAddress forwarder, int window, long nanos) throws IOException {
        long start = System.nanoTime();
        long end = start + nanos;
        long sent = 0;
        long received = 0;
        long lost = 0;
        long lastProgress = start;
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            while (sent - received - lost < window) {
                a.send(datagram.duplicate(), forwarder);
                sent++;
            }
            if (selector.select(10) > 0) {
                selector.selectedKeys().clear();
                while (true) {
                    in.clear();
                    if (b.receive(in) == null) {
                        break;
                    }
                    received++;
                }
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > LOSS_TIMEOUT_NANOS) {
                lost = sent - received;
                lastProgress = System.nanoTime();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        drain();
        return received / seconds;
    }

    /** Takes what is still on the way, so the next run starts empty. */
    void drain() throws IOException {
        while (selector.select(100) > 0) {
            selector.selectedKeys().clear();
            while (true) {
                in.clear();
                if (b.receive(in) == null) {
                    break;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        selector.close();
        a.close();
        b.close();
    }
}
