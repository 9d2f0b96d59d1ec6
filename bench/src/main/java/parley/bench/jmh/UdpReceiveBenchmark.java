package parley.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;

/**
 * What {@code DatagramChannel.receive} costs in allocation, the reason the UDP channel looks
 * sessions up by id and not by address. With one sender the JDK reuses its cached
 * InetSocketAddress; when senders alternate it allocates a new one per datagram. Run with
 * {@code -prof gc} and compare gc.alloc.rate.norm of the two methods.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class UdpReceiveBenchmark {
    private DatagramChannel receiver;
    private DatagramChannel senderA;
    private DatagramChannel senderB;
    private InetSocketAddress target;
    private final ByteBuffer out = ByteBuffer.allocateDirect(64);
    private final ByteBuffer in = ByteBuffer.allocateDirect(2048);

    @Setup(Level.Trial)
    public void open() throws IOException {
        receiver = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        receiver.configureBlocking(true);
        target = (InetSocketAddress) receiver.getLocalAddress();
        senderA = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        senderB = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        receiver.close();
        senderA.close();
        senderB.close();
    }

    private SocketAddress roundTrip(DatagramChannel sender) throws IOException {
        out.clear().limit(32);
        sender.send(out, target);
        in.clear();
        return receiver.receive(in);
    }

    /** Every datagram from the same sender: the cached address is reused. */
    @Benchmark
    public SocketAddress oneSender() throws IOException {
        roundTrip(senderA);
        return roundTrip(senderA);
    }

    /** Senders alternate: each receive returns a fresh InetSocketAddress. */
    @Benchmark
    public SocketAddress alternatingSenders() throws IOException {
        roundTrip(senderA);
        return roundTrip(senderB);
    }
}
