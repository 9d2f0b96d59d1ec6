package parley.core.tcp;

import parley.core.loop.EventLoop;
import parley.core.loop.WorkQueue;
import parley.core.tls.PinStore;
import parley.core.tls.PinningTrustManager;
import parley.core.tls.SelfSignedCertificate;
import parley.core.tls.ServerIdentity;
import parley.core.tls.TlsContexts;
import parley.core.wire.Header;
import parley.core.wire.MessageClass;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A loop, a TLS task pool and helpers shared by the TLS tests; real loopback sockets. */
final class TlsFixture implements AutoCloseable {
    static final int ECHO = 0x20;
    static final int FLOOD = 0x23;
    static final ServerIdentity SERVER_ID = generate("registry");

    final EventLoop loop = new EventLoop("tls-test").start();
    final WorkQueue<Runnable> tasks = TlsConfig.newTaskPool("tls-tasks", 2, 64);

    static ServerIdentity generate(String name) {
        try {
            return SelfSignedCertificate.generate(name, Instant.now().minusSeconds(60), 1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    <T> T onLoop(Callable<T> c) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(10, TimeUnit.SECONDS);
    }

    TlsConfig server(SSLContext ctx) {
        return TlsConfig.server(ctx, tasks);
    }

    TlsConfig server() throws Exception {
        return server(TlsContexts.server(SERVER_ID));
    }

    /** A client trusting the key it sees first, pins kept in {@code dir}. */
    TlsConfig tofuClient(Path dir) throws Exception {
        PinningTrustManager tm = new PinningTrustManager("test-server", null, new PinStore(dir.resolve("pins")), "remove the pin");
        return TlsConfig.client(TlsContexts.clientPinned(tm), tasks);
    }

    int listen(TcpConfig config, TlsConfig tls, java.util.function.Function<TcpConnection, ConnectionHandler> acceptor)
            throws Exception {
        return onLoop(() -> TcpListener.bind(loop, new InetSocketAddress("127.0.0.1", 0), acceptor, config, tls)
                .localAddress().getPort());
    }

    TcpConnection connect(int port, ConnectionHandler h, TcpConfig config, TlsConfig tls) throws Exception {
        return onLoop(() -> TcpConnection.connect(loop, new InetSocketAddress("127.0.0.1", port), h, config, tls));
    }

    /** A blocking JDK client, for driving the server record by record. */
    static SSLSocket blockingClient(SSLContext ctx, int port) throws IOException {
        Socket raw = BlockingFrames.connect(port);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(raw, "127.0.0.1", port, true);
        s.setEnabledProtocols(new String[] {"TLSv1.3"});
        s.startHandshake();
        return s;
    }

    static byte[] frame(int opcode, int correlation, int bodyLength) {
        byte[] body = new byte[bodyLength];
        for (int i = 0; i < bodyLength; i++) {
            body[i] = (byte) (i * 31 + correlation);
        }
        return BlockingFrames.frame(opcode, correlation, body);
    }

    /** Echoes frames; FLOOD answers with a megabyte-scale burst. Records events. */
    static final class EchoHandler implements ConnectionHandler {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        volatile TcpConnection last;

        @Override
        public void onOpen(TcpConnection c) {
            last = c;
            events.add("open");
        }

        @Override
        public void onFrame(TcpConnection c, ByteBuffer buf, int offset, int length) {
            int op = new Header().wrap(buf, offset).opcode();
            if (op == FLOOD) {
                ByteBuffer chunk = ByteBuffer.allocate(32 * 1024);
                for (int i = 0; i < 1000 && c.isOpen(); i++) {
                    chunk.clear();
                    new Header().wrap(chunk, 0).set(MessageClass.DATA, ECHO, 0, i, chunk.capacity() - Header.LENGTH);
                    c.write(chunk);
                }
                return;
            }
            ByteBuffer out = c.scratch();
            out.put(buf.duplicate().limit(offset + length).position(offset)).flip();
            c.write(out);
        }

        @Override
        public void onInputClosed(TcpConnection c) {
            events.add("input-closed");
            c.close(CloseReason.PEER_CLOSED);
        }

        @Override
        public void onWritabilityChanged(TcpConnection c, boolean writable) {
            events.add("writable=" + writable);
        }

        @Override
        public void onClosed(TcpConnection c, CloseReason reason) {
            events.add("closed:" + reason);
        }

        String next() throws InterruptedException {
            String e = events.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("an event within 10 s").isNotNull();
            return e;
        }

        /** Skips events until {@code prefix} appears; returns it. */
        String await(String prefix) throws InterruptedException {
            while (true) {
                String e = next();
                if (e.startsWith(prefix)) {
                    return e;
                }
            }
        }
    }

    /** Collects whole frames a client connection receives. */
    static class Collector implements ConnectionHandler {
        final BlockingQueue<Object> got = new LinkedBlockingQueue<>();

        @Override
        public void onOpen(TcpConnection c) {
            got.add("open");
        }

        @Override
        public void onFrame(TcpConnection c, ByteBuffer buf, int offset, int length) {
            byte[] b = new byte[length];
            buf.duplicate().position(offset).get(b);
            got.add(b);
        }

        @Override
        public void onClosed(TcpConnection c, CloseReason reason) {
            got.add("closed:" + reason);
        }

        Object next() throws InterruptedException {
            Object o = got.poll(10, TimeUnit.SECONDS);
            assertThat(o).as("a frame or event within 10 s").isNotNull();
            return o;
        }
    }

    @Override
    public void close() {
        loop.close();
        tasks.close();
    }
}
