package parley.bench.baseline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The Netty UDP ping-pong baseline echoes bytes unchanged, and stops when closed. No timing. */
@Timeout(30)
class NettyUdpPingPongTest {
    @Test
    void echoSendsEachDatagramBackToItsSenderUnchanged() throws Exception {
        NettyUdpPingPong.Echo echo = NettyUdpPingPong.Echo.start(new InetSocketAddress("127.0.0.1", 0));
        try (DatagramChannel ch = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             Selector sel = Selector.open()) {
            ch.configureBlocking(false);
            ch.register(sel, SelectionKey.OP_READ);
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", echo.port());
            ByteBuffer in = ByteBuffer.allocate(2048);
            for (int i = 0; i < 5; i++) {
                byte[] sent = new byte[8 + i * 100];
                for (int j = 0; j < sent.length; j++) {
                    sent[j] = (byte) (i * 31 + j);
                }
                ch.send(ByteBuffer.wrap(sent), to);
                in.clear();
                InetSocketAddress from = receive(ch, sel, in);
                assertThat(from).isEqualTo(to);
                in.flip();
                byte[] got = new byte[in.remaining()];
                in.get(got);
                assertThat(got).isEqualTo(sent);
            }
            assertThat(echo.received()).isEqualTo(5);
        } finally {
            echo.close();
        }
        assertThat(echo.terminated()).isTrue();
    }

    @Test
    void clientHandsBackTheStampOfEachEcho() throws Exception {
        BlockingQueue<Long> stamps = new LinkedBlockingQueue<>();
        try (NettyUdpPingPong.Echo echo = NettyUdpPingPong.Echo.start(new InetSocketAddress("127.0.0.1", 0));
             NettyUdpPingPong.Client client = new NettyUdpPingPong.Client(new InetSocketAddress("127.0.0.1", echo.port()), 32,
                     stamps::add)) {
            for (long s = 1; s <= 3; s++) {
                client.send(s * 1_000_000_007L);
                assertThat(stamps.poll(10, TimeUnit.SECONDS)).isEqualTo(s * 1_000_000_007L);
            }
            assertThat(echo.received()).isEqualTo(3);
        }
    }

    private static InetSocketAddress receive(DatagramChannel ch, Selector sel, ByteBuffer in) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            InetSocketAddress from = (InetSocketAddress) ch.receive(in);
            if (from != null) {
                return from;
            }
            sel.select(100);
            sel.selectedKeys().clear();
        }
        throw new AssertionError("no echo within 10 s");
    }
}
