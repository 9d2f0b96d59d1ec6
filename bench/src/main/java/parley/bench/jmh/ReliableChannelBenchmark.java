package parley.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import parley.core.reliable.ReliableConfig;
import parley.core.reliable.ReliableSession;
import parley.core.reliable.PacketOutput;
import parley.core.reliable.SessionListener;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The reliable channel's logic with no sockets and no crypto: two sessions joined in memory. Each
 * invocation sends a batch of messages, flushes them (coalesced into datagrams), delivers them,
 * and returns the acks, so send, receive, delivery and ack handling are all in the loop.
 * Reported per message; steady state is expected to allocate 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReliableChannelBenchmark {
    static final int BATCH = 64;

    @Param({"64", "1024"})
    int size;

    private ReliableSession sender;
    private ReliableSession receiver;
    private final ByteBuffer payload = ByteBuffer.allocate(1024);
    private long now = 1_000_000_000L;
    private long received;
    private long delivered;

    /** Hands each packet straight to the other session: no copy, no socket. */
    static final class Link implements PacketOutput {
        final ByteBuffer buffer = ByteBuffer.allocate(1200);
        ReliableSession to;
        long now;

        @Override
        public ByteBuffer packetBuffer() {
            buffer.clear().limit(1200 - 36);
            return buffer;
        }

        @Override
        public boolean transmit(ByteBuffer frames, long packetNumber, boolean carriesData) {
            frames.flip();
            to.onPacket(packetNumber, frames, now);
            return true;
        }
    }

    private final Link toReceiver = new Link();
    private final Link toSender = new Link();

    @Setup
    public void open() {
        ReliableConfig config = new ReliableConfig();
        config.initialWindow = 1 << 20; // no loss in memory: measure the logic, not slow start
        sender = new ReliableSession(config, toReceiver, new SessionListener() {
            @Override
            public void onMessage(ByteBuffer message) {
            }

            @Override
            public void onDelivered(long messageId) {
                delivered++;
            }

            @Override
            public void onFailed(long messageId, String reason) {
                throw new IllegalStateException(reason);
            }

            @Override
            public void onDead(String reason) {
                throw new IllegalStateException(reason);
            }
        }, now);
        receiver = new ReliableSession(config, toSender, new SessionListener() {
            @Override
            public void onMessage(ByteBuffer message) {
                received += message.remaining();
            }

            @Override
            public void onDelivered(long messageId) {
            }

            @Override
            public void onFailed(long messageId, String reason) {
            }

            @Override
            public void onDead(String reason) {
                throw new IllegalStateException(reason);
            }
        }, now);
        toReceiver.to = receiver;
        toSender.to = sender;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long sendDeliverAck() {
        now += 10_000;
        toReceiver.now = now;
        toSender.now = now;
        for (int i = 0; i < BATCH; i++) {
            payload.clear().limit(size);
            if (sender.send(payload) == ReliableSession.REFUSED) {
                throw new IllegalStateException("send buffer full: acks are not flowing");
            }
        }
        sender.flush(now);
        receiver.onTimer(now + 2_000_000); // the delayed ack is due
        return delivered + received;
    }
}
