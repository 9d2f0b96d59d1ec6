package parley.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import parley.core.tcp.FrameDecoder;
import parley.core.wire.Header;
import parley.core.wire.MessageClass;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The TCP frame decoder over a stream of 64 frames (20-200 byte bodies) delivered in reads of
 * {@code chunk} bytes, so most reads end inside a frame. Reported per frame; expected 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameDecoderBenchmark {
    static final int FRAMES = 64;

    @Param({"61", "1500", "65536"})
    int chunk;

    private ByteBuffer stream;
    private final FrameDecoder decoder = new FrameDecoder(64 * 1024);
    private long sum;
    private final FrameDecoder.Sink sink = (buf, off, len) -> {
        sum += buf.getInt(off + Header.CORRELATION_OFFSET);
        return true;
    };

    @Setup
    public void build() {
        stream = ByteBuffer.allocateDirect(FRAMES * (Header.LENGTH + 200));
        Header h = new Header();
        for (int i = 0; i < FRAMES; i++) {
            int body = 20 + (i * 37) % 181;
            h.wrap(stream, stream.position()).set(MessageClass.COMMAND, 0x15, 0, i, body);
            stream.position(stream.position() + Header.LENGTH + body);
        }
        stream.flip();
    }

    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(FRAMES)
    public long decodeSplitStream() {
        int end = stream.limit();
        for (int at = 0; at < end; at += chunk) {
            stream.limit(Math.min(end, at + chunk)).position(at);
            decoder.decode(stream, sink);
        }
        stream.limit(end);
        return sum;
    }
}
