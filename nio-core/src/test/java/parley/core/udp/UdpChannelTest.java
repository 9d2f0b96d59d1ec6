package parley.core.udp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import parley.core.loop.EventLoop;
import parley.core.wire.MessageTooLargeException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UdpChannelTest {
    private final EventLoop loop = new EventLoop("udp-test").start();

    @AfterEach
    void stop() {
        loop.close();
    }

    private UdpChannel open(DatagramHandler h) throws Exception {
        CompletableFuture<UdpChannel> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                f.complete(UdpChannel.open(loop, new InetSocketAddress("127.0.0.1", 0), h));
            } catch (IOException e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void datagramsCrossBetweenTwoChannelsOnOneLoopAndOversizeIsRefusedAtSend() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        UdpChannel a = open((ch, from, d) -> { });
        UdpChannel b = open((ch, from, d) -> {
            byte[] bytes = new byte[d.remaining()];
            d.get(bytes);
            got.add(new String(bytes) + "@" + from.getPort());
        });
        CompletableFuture<Throwable> refused = new CompletableFuture<>();
        loop.execute(() -> {
            a.send(ByteBuffer.wrap("hello".getBytes()), b.localAddress());
            try {
                a.send(ByteBuffer.allocate(UdpChannel.DEFAULT_MAX_PAYLOAD + 1), b.localAddress());
                refused.complete(null);
            } catch (MessageTooLargeException e) {
                refused.complete(e);
            }
            a.send(ByteBuffer.allocate(UdpChannel.DEFAULT_MAX_PAYLOAD), b.localAddress());
        });
        assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("hello@" + a.localAddress().getPort());
        assertThat(refused.get(10, TimeUnit.SECONDS)).isInstanceOf(MessageTooLargeException.class);
        assertThat(got.poll(10, TimeUnit.SECONDS)).hasSize(UdpChannel.DEFAULT_MAX_PAYLOAD + 1 + String.valueOf(a.localAddress().getPort()).length());
    }

    @Test
    void oversizedInboundDatagramsAreDroppedAndCounted() throws Exception {
        BlockingQueue<Integer> sizes = new LinkedBlockingQueue<>();
        UdpChannel b = open((ch, from, d) -> sizes.add(d.remaining()));
        try (java.nio.channels.DatagramChannel raw = java.nio.channels.DatagramChannel.open()) {
            raw.send(ByteBuffer.allocate(5000), b.localAddress());
            raw.send(ByteBuffer.allocate(10), b.localAddress());
        }
        assertThat(sizes.poll(10, TimeUnit.SECONDS)).isEqualTo(10);
        CompletableFuture<Long> dropped = new CompletableFuture<>();
        loop.execute(() -> dropped.complete(b.oversizedDropped()));
        assertThat(dropped.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    }

    @Test
    void aThrowingHandlerCostsOnlyItsOwnDatagram() throws Exception {
        BlockingQueue<Integer> sizes = new LinkedBlockingQueue<>();
        UdpChannel b = open((ch, from, d) -> {
            if (d.remaining() == 1) {
                throw new IllegalStateException("test: bad datagram");
            }
            sizes.add(d.remaining());
        });
        try (java.nio.channels.DatagramChannel raw = java.nio.channels.DatagramChannel.open()) {
            raw.send(ByteBuffer.allocate(1), b.localAddress());
            raw.send(ByteBuffer.allocate(2), b.localAddress());
        }
        assertThat(sizes.poll(10, TimeUnit.SECONDS)).isEqualTo(2);
    }
}
