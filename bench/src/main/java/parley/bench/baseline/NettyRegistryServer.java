package parley.bench.baseline;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import parley.core.tls.Pem;
import parley.core.wire.CoreOpcodes;
import parley.core.wire.ErrorCode;
import parley.core.wire.Flags;
import parley.core.wire.Header;
import parley.core.wire.MessageClass;
import parley.server.protocol.RegistryOpcodes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The baseline for `bench registry`: the registry's request/response on Netty, the library most
 * Java engineers would reach for. Same wire format, one NIO event-loop thread like Parley's
 * registry, and the same answers for the benchmarked operations (HEARTBEAT, SEARCH, WHO), built
 * from the request without any registry state: it measures Netty's I/O and framing path with a
 * trivial handler, which flatters the baseline. Kept in bench/ only.
 */
public final class NettyRegistryServer {
    private NettyRegistryServer() {
    }

    @ChannelHandler.Sharable
    static final class Handler extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf in) {
            int op = in.getUnsignedByte(Header.OPCODE_OFFSET);
            int correlation = in.getInt(Header.CORRELATION_OFFSET);
            ByteBuf out = ctx.alloc().ioBuffer(64);
            out.writerIndex(Header.LENGTH);
            int cls = MessageClass.COMMAND;
            switch (op) {
                case RegistryOpcodes.HEARTBEAT:
                    cls = MessageClass.CONTROL;
                    out.writeInt(15_000);
                    break;
                case RegistryOpcodes.SEARCH: {
                    int len = in.getUnsignedShort(Header.LENGTH);
                    out.writeShort(1).writeShort(len);
                    out.writeBytes(in, Header.LENGTH + 2, len);
                    out.writeByte(0).writeLong(0);
                    break;
                }
                case RegistryOpcodes.WHO:
                    out.writeShort(0);
                    break;
                default: {
                    cls = MessageClass.CONTROL;
                    op = CoreOpcodes.ERROR;
                    byte[] reason = "unknown opcode".getBytes(StandardCharsets.US_ASCII);
                    out.writeShort(ErrorCode.UNKNOWN_OPCODE).writeShort(reason.length).writeBytes(reason);
                }
            }
            int body = out.writerIndex() - Header.LENGTH;
            out.setByte(Header.VERSION_OFFSET, Header.CURRENT_VERSION).setByte(Header.CLASS_OFFSET, cls)
                    .setByte(Header.OPCODE_OFFSET, op).setByte(Header.FLAGS_OFFSET, Flags.RESPONSE)
                    .setInt(Header.CORRELATION_OFFSET, correlation).setInt(Header.BODY_LENGTH_OFFSET, body);
            ctx.write(out);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * Args: {@code [port [cert.pem key.pem]]}. With a certificate and key (the Parley registry's
     * own, from its data directory) it serves TLS 1.3 through Netty's {@code SslHandler} on the
     * JDK's provider, the same engine Parley uses, so `bench registry --tls` compares like with like.
     */
    public static void main(String[] args) throws Exception {
        String bind = "127.0.0.1";
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        SslContext ssl = args.length >= 3 ? SslContextBuilder
                .forServer(Pem.readPrivateKey(Path.of(args[2])), Pem.readCertificates(Path.of(args[1])))
                .sslProvider(SslProvider.JDK).protocols("TLSv1.3").build() : null;
        NioEventLoopGroup group = new NioEventLoopGroup(1);
        Handler handler = new Handler();
        try {
            ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (ssl != null) {
                                ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
                            }
                            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(65536, Header.BODY_LENGTH_OFFSET, 4, 0, 0), handler);
                        }
                    });
            java.net.InetSocketAddress local = (java.net.InetSocketAddress) b.bind(bind, port).sync().channel().localAddress();
            System.out.println("listening on tcp " + bind + ":" + local.getPort() + ", udp " + bind + ":0");
            System.out.flush();
            CountDownLatch stop = new CountDownLatch(1);
            parley.server.Signals.onTermination(stop::countDown);
            stop.await();
        } finally {
            group.shutdownGracefully().sync();
        }
    }
}
