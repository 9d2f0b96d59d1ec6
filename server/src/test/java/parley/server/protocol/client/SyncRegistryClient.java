package parley.server.protocol.client;

import parley.core.loop.EventLoop;
import parley.core.tcp.CloseReason;
import parley.core.wire.BodyReader;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A blocking face on {@link RegistryClient}, with its own loop: for tests, tools and scripts that
 * want to call the registry step by step. Each call waits for its answer; pushes queue up in
 * {@link #pushes()}.
 */
public final class SyncRegistryClient implements AutoCloseable {
    /** A decoded answer: the body's bytes are copied out of the loop's buffers. */
    public static final class Answer {
        public final int error;
        public final String reason;
        private final byte[] body;

        Answer(int error, String reason, byte[] body) {
            this.error = error;
            this.reason = reason;
            this.body = body;
        }

        public boolean ok() {
            return error == 0;
        }

        public BodyReader body() {
            return new BodyReader().wrap(ByteBuffer.wrap(body), 0, body.length);
        }

        @Override
        public String toString() {
            return ok() ? "OK(" + body.length + " bytes)" : RegistryClient.errorName(error) + ": " + reason;
        }
    }

    /** A push, copied. */
    public static final class Push {
        public final int opcode;
        private final byte[] body;

        Push(int opcode, byte[] body) {
            this.opcode = opcode;
            this.body = body;
        }

        public BodyReader body() {
            return new BodyReader().wrap(ByteBuffer.wrap(body), 0, body.length);
        }
    }

    private final EventLoop loop;
    private final BlockingQueue<Push> pushes = new LinkedBlockingQueue<>();
    private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    private final BlockingQueue<String> connectionErrors = new LinkedBlockingQueue<>();
    private final BlockingQueue<Long> mailWaiting = new LinkedBlockingQueue<>();
    private RegistryClient client;

    /** A client over TLS that trusts the test registry's key ({@link TestTls}). */
    public SyncRegistryClient(InetSocketAddress server) throws Exception {
        this(server, TestTls.client());
    }

    /** A client over {@code tls}, or in plaintext with null (the plaintext suite). */
    public SyncRegistryClient(InetSocketAddress server, parley.core.tcp.TlsConfig tls) throws Exception {
        this(server, new EventLoop("registry-client").start(), true, tls);
    }

    public static SyncRegistryClient plaintext(InetSocketAddress server) throws Exception {
        return new SyncRegistryClient(server, null);
    }

    private final boolean ownsLoop;

    public SyncRegistryClient(InetSocketAddress server, EventLoop loop, boolean ownsLoop) throws Exception {
        this(server, loop, ownsLoop, TestTls.client());
    }

    public SyncRegistryClient(InetSocketAddress server, EventLoop loop, boolean ownsLoop, parley.core.tcp.TlsConfig tls)
            throws Exception {
        this.loop = loop;
        this.ownsLoop = ownsLoop;
        CompletableFuture<Void> connected = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                client = RegistryClient.connect(loop, server, new RegistryClient.Listener() {
                    @Override
                    public void onConnected(RegistryClient c) {
                        connected.complete(null);
                    }

                    @Override
                    public void onPush(RegistryClient c, int opcode, BodyReader body) {
                        pushes.add(new Push(opcode, copy(body)));
                    }

                    @Override
                    public void onMailWaiting(RegistryClient c, long count) {
                        mailWaiting.add(count);
                    }

                    @Override
                    public void onConnectionError(RegistryClient c, int code, String reason) {
                        connectionErrors.add(RegistryClient.errorName(code) + ": " + reason);
                    }

                    @Override
                    public void onDisconnected(RegistryClient c, CloseReason reason) {
                        connected.completeExceptionally(new java.io.IOException("connect failed: " + reason,
                                c.tlsFailure()));
                        closed.complete(reason);
                    }
                }, tls);
            } catch (Exception e) {
                connected.completeExceptionally(e);
            }
        });
        try {
            connected.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (ownsLoop) {
                loop.close();
            }
            throw e;
        }
    }

    private static byte[] copy(BodyReader body) {
        byte[] out = new byte[body.remaining()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) body.u8();
        }
        return out;
    }

    /** Sends a request and waits up to 10 s for its answer. */
    public Answer call(int opcode, RegistryClient.Body body) throws Exception {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        loop.execute(() -> client.request(opcode, body,
                (error, reason, r) -> answer.complete(new Answer(error, reason, r == null ? new byte[0] : copy(r)))));
        return answer.get(10, TimeUnit.SECONDS);
    }

    public Answer call(int opcode) throws Exception {
        return call(opcode, w -> { });
    }

    /** Writes bytes straight to the socket, bypassing the codec. */
    public void sendRaw(byte[] bytes) throws Exception {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        loop.execute(() -> {
            client.sendRaw(ByteBuffer.wrap(bytes));
            sent.complete(null);
        });
        sent.get(10, TimeUnit.SECONDS);
    }

    public BlockingQueue<Push> pushes() {
        return pushes;
    }

    /** Waits for the next push with this opcode, skipping others; null after the timeout. */
    public Push awaitPush(int opcode, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            Push p = pushes.poll(left, TimeUnit.NANOSECONDS);
            if (p == null || p.opcode == opcode) {
                return p;
            }
        }
    }

    public CompletableFuture<CloseReason> closedFuture() {
        return closed;
    }

    /** The connection's tls-server-end-point value for SCRAM-SHA-256-PLUS, or null in plaintext. */
    public byte[] channelBinding() {
        return client.channelBinding();
    }

    /** Whether this client's connection runs over TLS. */
    public boolean isTls() {
        return client.connection().isTls();
    }

    /** The counts of MAIL_WAITING pushes as {@link RegistryClient.Listener#onMailWaiting} decoded them. */
    public BlockingQueue<Long> mailWaiting() {
        return mailWaiting;
    }

    /**
     * Runs {@code op} with the client on its loop (to use its typed requests, or to pipeline many)
     * and waits up to {@code seconds} for the future it completes.
     */
    public <T> T onLoop(long seconds, java.util.function.BiConsumer<RegistryClient, CompletableFuture<T>> op) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                op.accept(client, result);
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result.get(seconds, TimeUnit.SECONDS);
    }

    public BlockingQueue<String> connectionErrors() {
        return connectionErrors;
    }

    public EventLoop loop() {
        return loop;
    }

    @Override
    public void close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            client.close();
            done.complete(null);
        });
        try {
            done.get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // closing anyway
        }
        if (ownsLoop) {
            loop.close();
        }
    }
}
