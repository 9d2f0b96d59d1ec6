package parley.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.Header;
import parley.core.wire.MessageClass;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/** Encoding and decoding the 12-byte header (and a small body) in place: expected 0 B/op. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HeaderCodecBenchmark {
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(256);
    private final Header header = new Header();
    private final BodyWriter writer = new BodyWriter();
    private final BodyReader reader = new BodyReader();
    private int correlation;

    @Benchmark
    public int encodeHeader() {
        header.wrap(buffer, 0).set(MessageClass.COMMAND, 0x15, 0, ++correlation, 0);
        return correlation;
    }

    @Benchmark
    public void decodeHeader(Blackhole bh) {
        Header h = header.wrap(buffer, 0);
        bh.consume(h.version());
        bh.consume(h.messageClass());
        bh.consume(h.opcode());
        bh.consume(h.flags());
        bh.consume(h.correlationId());
        bh.consume(h.bodyLength());
    }

    @Benchmark
    public long encodeAndDecodeHeartbeat() {
        writer.wrap(buffer, Header.LENGTH).u8(1).i64(42L);
        header.wrap(buffer, 0).set(MessageClass.CONTROL, 0x30, 0, ++correlation, writer.length());
        Header h = header.wrap(buffer, 0);
        BodyReader r = reader.wrap(buffer, h.bodyOffset(), (int) h.bodyLength());
        return r.u8() + r.i64() + h.correlationId();
    }
}
