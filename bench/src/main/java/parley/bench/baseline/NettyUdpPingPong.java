package parley.bench.baseline;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The Netty baseline for `bench p2p`: UDP ping-pong over Netty 4.1's NIO transport
 * ({@link NioEventLoopGroup} + {@link NioDatagramChannel}, one event-loop thread each side), so it
 * compares like-for-like with the raw java.nio ping-pong and Parley's selector loop. {@link Echo}
 * runs in the child process and sends every datagram back to its sender; {@link Client} runs in
 * the orchestrator and hands each echo's first 8 bytes (the intended send time) to a callback.
 * Kept in bench/ only.
 */
public final class NettyUdpPingPong {
    private static final long QUIET_MILLIS = 10;
    private static final long SHUTDOWN_TIMEOUT_MILLIS = 2_000;

    private NettyUdpPingPong() {
    }

    /** Echoes each datagram back to its sender, on one NIO event-loop thread. */
    public static final class Echo implements AutoCloseable {
        private final NioEventLoopGroup group = new NioEventLoopGroup(1);
        private final AtomicLong received = new AtomicLong();
        private final Channel channel;

        private Echo(InetSocketAddress bind) throws InterruptedException {
            try {
                channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                        .option(ChannelOption.SO_RCVBUF, 4 * 1024 * 1024) // as the raw echo sets it
                        .handler(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                DatagramPacket in = (DatagramPacket) msg;
                                received.incrementAndGet();
                                // The received (pooled) buffer goes straight back out: ownership of
                                // the content passes to the outbound packet, which the channel
                                // releases once written. Flushed per datagram, as the raw echo
                                // sends each one as soon as it has read it.
                                ctx.writeAndFlush(new DatagramPacket(in.content(), in.sender()), ctx.voidPromise());
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                // a datagram socket has no peer to drop: ignore (e.g. ICMP port unreachable)
                            }
                        })
                        .bind(bind).sync().channel();
            } catch (RuntimeException | InterruptedException e) {
                shutdown(group);
                throw e;
            }
        }

        public static Echo start(InetSocketAddress bind) throws InterruptedException {
            return new Echo(bind);
        }

        public int port() {
            return ((InetSocketAddress) channel.localAddress()).getPort();
        }

        /** Datagrams received so far. */
        public long received() {
            return received.get();
        }

        /** True once the event loop has stopped (after {@link #close}). */
        public boolean terminated() {
            return group.isTerminated();
        }

        @Override
        public void close() {
            channel.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT_MILLIS);
            shutdown(group);
        }
    }

    /** Sends timestamped pings to one address and reports each echo's timestamp. */
    public static final class Client implements AutoCloseable {
        private final NioEventLoopGroup group = new NioEventLoopGroup(1);
        private final Channel channel;
        private final InetSocketAddress remote;
        private final int size;

        /**
         * {@code onEcho} runs on the client's event-loop thread with the first 8 bytes of each
         * echoed datagram, read as a long.
         */
        public Client(InetSocketAddress remote, int size, LongConsumer onEcho) throws InterruptedException {
            this.remote = remote;
            this.size = Math.max(size, 8);
            try {
                channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                        .handler(new SimpleChannelInboundHandler<DatagramPacket>() { // releases each packet
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket echo) {
                                ByteBuf b = echo.content();
                                if (b.readableBytes() >= 8) {
                                    onEcho.accept(b.getLong(b.readerIndex()));
                                }
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                // ignore, as the echo does
                            }
                        })
                        .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            } catch (RuntimeException | InterruptedException e) {
                shutdown(group);
                throw e;
            }
        }

        /**
         * Sends one ping carrying {@code stamp} in its first 8 bytes; callable from any thread.
         * This is what a typical Netty user writes: {@code channel.writeAndFlush} from the caller's
         * thread. Netty itself hands the write to the channel's event loop (a recycled write task),
         * which is the same one hop Parley's side makes with {@code loop.execute}; the buffer comes
         * from the channel's pooled allocator and is released by the channel once written.
         */
        public void send(long stamp) {
            ByteBuf b = channel.alloc().directBuffer(size, size);
            b.writeLong(stamp).writerIndex(size);
            channel.writeAndFlush(new DatagramPacket(b, remote), channel.voidPromise());
        }

        @Override
        public void close() {
            channel.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT_MILLIS);
            shutdown(group);
        }
    }

    /** Stops a group promptly: a short quiet period, a bounded wait. */
    static void shutdown(NioEventLoopGroup group) {
        group.shutdownGracefully(QUIET_MILLIS, SHUTDOWN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(SHUTDOWN_TIMEOUT_MILLIS + 1_000);
    }
}
