package parley.core.udp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.loop.EventLoop;
import parley.core.loop.Selectable;
import parley.core.wire.MessageTooLargeException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;

/**
 * The process's one UDP socket, registered in its loop's selector.
 *
 * <p>Datagrams are received into one reused direct buffer. {@code DatagramChannel.receive}
 * returns the sender as an {@link InetSocketAddress}; the JDK caches the last one and allocates a
 * new one only when the sender differs from the previous datagram's. We accept that knowingly:
 * with one busy peer it is free, and with alternating senders it costs one small object per
 * datagram (measured in the bench module). Sessions are found by the session id inside the
 * datagram, never by this address, so the address is only used for replies and NAT rebinding.
 *
 * <p>Sends larger than the payload limit are refused at once: the default of 1200 bytes stays
 * under common path MTUs, so a datagram is never fragmented by IP, where one lost fragment loses
 * it all. A full socket buffer is reported as {@code false}, and {@link DatagramHandler#onWritable}
 * follows when there is room.
 */
public final class UdpChannel implements Selectable {
    private static final Logger log = LoggerFactory.getLogger(UdpChannel.class);
    public static final int DEFAULT_MAX_PAYLOAD = 1200;
    // Bounded so that a flood on UDP cannot starve the TCP sessions on the same loop.
    private static final int RECEIVES_PER_WAKEUP = 64;
    private static final int RECEIVE_CAPACITY = 65536;

    private final EventLoop loop;
    private final DatagramChannel channel;
    private final DatagramHandler handler;
    private final int maxPayload;
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(RECEIVE_CAPACITY);
    private final SelectionKey key;
    private final InetSocketAddress local;
    private boolean waitingForRoom;

    private long received;
    private long sent;
    private long oversizedDropped;
    private long sendsRefusedFull;
    private long handlerErrors;

    private UdpChannel(EventLoop loop, DatagramChannel channel, DatagramHandler handler, int maxPayload) throws IOException {
        this.loop = loop;
        this.channel = channel;
        this.handler = handler;
        this.maxPayload = maxPayload;
        this.local = (InetSocketAddress) channel.getLocalAddress();
        this.key = loop.register(channel, SelectionKey.OP_READ, this);
    }

    /** Binds a non-blocking UDP socket on {@code loop}. Loop thread only. */
    public static UdpChannel open(EventLoop loop, InetSocketAddress bind, DatagramHandler handler, int maxPayload)
            throws IOException {
        loop.assertInLoop();
        if (maxPayload <= 0 || maxPayload > 65507) {
            throw new IllegalArgumentException("max payload must be 1..65507, not " + maxPayload);
        }
        DatagramChannel ch = DatagramChannel.open();
        try {
            ch.configureBlocking(false);
            // Bigger kernel buffers absorb bursts; the reliable layer still paces what it sends.
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 * 1024 * 1024);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, 4 * 1024 * 1024);
            ch.bind(bind);
            return new UdpChannel(loop, ch, handler, maxPayload);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    public static UdpChannel open(EventLoop loop, InetSocketAddress bind, DatagramHandler handler) throws IOException {
        return open(loop, bind, handler, DEFAULT_MAX_PAYLOAD);
    }

    @Override
    public void onReady(SelectionKey k) throws IOException {
        if (k.isWritable()) {
            waitingForRoom = false;
            key.interestOps(SelectionKey.OP_READ);
            handler.onWritable(this);
        }
        if (k.isValid() && k.isReadable()) {
            receive();
        }
    }

    private void receive() throws IOException {
        for (int i = 0; i < RECEIVES_PER_WAKEUP; i++) {
            receiveBuffer.clear();
            InetSocketAddress from = (InetSocketAddress) channel.receive(receiveBuffer);
            if (from == null) {
                return;
            }
            received++;
            receiveBuffer.flip();
            if (receiveBuffer.remaining() > maxPayload) {
                oversizedDropped++;
                continue;
            }
            try {
                handler.onDatagram(this, from, receiveBuffer);
            } catch (RuntimeException e) {
                // One bad datagram must not cost the others queued behind it.
                handlerErrors++;
                log.warn("datagram handler failed for a datagram from {}", from, e);
            }
        }
    }

    /**
     * Sends one datagram (position to limit) without blocking. Returns false when the socket
     * buffer is full and nothing was sent; the position is then unchanged.
     *
     * @throws MessageTooLargeException if the datagram exceeds the payload limit
     */
    public boolean send(ByteBuffer datagram, InetSocketAddress to) {
        int n = datagram.remaining();
        if (n > maxPayload) {
            throw new MessageTooLargeException(n, maxPayload);
        }
        try {
            if (channel.send(datagram, to) == 0 && n > 0) {
                sendsRefusedFull++;
                if (!waitingForRoom) {
                    waitingForRoom = true;
                    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                }
                return false;
            }
        } catch (IOException e) {
            // UDP gives no delivery promise: a send error is a lost datagram, which the layer above recovers.
            log.debug("send to {} failed: {}", to, e.toString());
            datagram.position(datagram.limit());
        }
        sent++;
        return true;
    }

    public InetSocketAddress localAddress() {
        return local;
    }

    public int maxPayload() {
        return maxPayload;
    }

    public EventLoop loop() {
        return loop;
    }

    public long receivedCount() {
        return received;
    }

    public long sentCount() {
        return sent;
    }

    public long oversizedDropped() {
        return oversizedDropped;
    }

    public long sendsRefusedFull() {
        return sendsRefusedFull;
    }

    public long handlerErrors() {
        return handlerErrors;
    }

    public void close() {
        key.cancel();
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void failed(Throwable cause) {
        // The socket is shared by every peer session: log and keep it rather than cut everyone off.
        log.error("UDP handler failed on {}", local, cause);
    }

    @Override
    public void closeForShutdown() {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("UDP close failed", e);
        }
    }
}
