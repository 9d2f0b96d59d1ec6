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
import parley.bench.relay.RelayFixture;
import parley.core.reliable.DatagramPath;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The relay's per-datagram path (PROTOCOL.md 7.8) without sockets: envelope and inner header
 * checks, the token lookup, the session id check, both quota buckets, and the hand-off of the
 * inner bytes to the send path (here a sink that only counts). Run with {@code -prof gc}:
 * gc.alloc.rate.norm must be 0 B/op. Both directions alternate, as in a conversation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RelayForwardBenchmark {
    @Param({"100", "1200"})
    int inner;

    private RelayFixture fx;
    private ByteBuffer aToB;
    private ByteBuffer bToA;
    private long sent;
    private final DatagramPath sink = (d, to) -> {
        sent += d.remaining();
        d.position(d.limit());
        return true;
    };

    @Setup
    public void setUp() {
        fx = new RelayFixture(inner);
        aToB = fx.aToB(true);
        bToA = fx.bToA(true);
        fx.engine.forward(aToB.clear(), fx.a, sink); // both sides heard from once
        fx.engine.forward(bToA.clear(), fx.b, sink);
    }

    @Benchmark
    public long forwardBothWays() {
        fx.engine.forward(aToB.clear(), fx.a, sink);
        fx.engine.forward(bToA.clear(), fx.b, sink);
        return sent;
    }

    /** For comparison: what the sink alone costs (the floor of this measurement). */
    @Benchmark
    public long sinkOnly() {
        sink.send(aToB.clear(), fx.b);
        sink.send(bToA.clear(), fx.a);
        return sent;
    }

}
