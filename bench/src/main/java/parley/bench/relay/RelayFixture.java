package parley.bench.relay;

import parley.core.loop.NanoClock;
import parley.server.registry.RegistryConfig;
import parley.server.registry.RelayEngine;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One relayed session on a {@link RelayEngine} with quotas high enough never to bind: session
 * ids, tokens and the two datagrams (A to B, B to A) the benchmarks forward.
 */
public final class RelayFixture {
    public static final long SID_A = 0x0A0A_0A0A_0A0A_0A0AL;
    public static final long SID_B = 0x0B0B_0B0B_0B0B_0B0BL;
    public final RelayEngine engine;
    public final long[] tokens;
    public final int inner;
    public InetSocketAddress a = new InetSocketAddress("127.0.0.1", 40001);
    public InetSocketAddress b = new InetSocketAddress("127.0.0.1", 40002);

    public RelayFixture(int inner) {
        this.inner = inner;
        this.engine = new RelayEngine(unlimited(), NanoClock.SYSTEM);
        this.tokens = engine.allocate(SID_A, SID_B);
    }

    /** Quotas out of the way: the benchmarks measure forwarding, not the buckets' refusals. */
    public static RegistryConfig unlimited() {
        RegistryConfig c = new RegistryConfig();
        c.relaySessionBytesPerSecond = 1L << 40;
        c.relaySessionByteBurst = 1L << 32;
        c.relaySessionPacketsPerSecond = 1L << 40;
        c.relaySessionPacketBurst = 1L << 32;
        c.relayAccountBytesPerSecond = 1L << 40;
        c.relayAccountByteBurst = 1L << 32;
        return c;
    }

    public ByteBuffer aToB(boolean direct) {
        return RelayTraffic.datagram(tokens[0], tokens[1], SID_B, inner, direct);
    }

    public ByteBuffer bToA(boolean direct) {
        return RelayTraffic.datagram(tokens[2], tokens[3], SID_A, inner, direct);
    }
}
