package parley.server.registry;

import parley.server.policy.TokenBucket;

import java.net.InetSocketAddress;

/** One session's UDP probe state, kept by {@link ProbeHandler}: its rate and its open challenge. */
final class ProbeState {
    final TokenBucket rate = new TokenBucket(ProbeHandler.PROBE_BURST, ProbeHandler.PROBE_INTERVAL_NANOS);
    /** The address the outstanding challenge was sent to, or null when none is outstanding. */
    InetSocketAddress challengedAddress;
    long challengeHi;
    long challengeLo;
    long challengedAtNanos;
}
