package parley.server.registry;

import parley.core.loop.Timer;
import parley.server.policy.RateBucket;

/**
 * A relayed session: the requester's and the answerer's {@link RelaySide}, the session's byte and
 * packet buckets, and its idle timer. Made when a PEER_ANSWER accepts ({@link Relays#allocate}),
 * ended by {@link Relays} on teardown. Loop thread only.
 */
final class RelayPair {
    final Account requester;
    final Account answerer;
    final RateBucket bytes;
    final RateBucket packets;
    final Timer idle;
    RelaySide requesterSide;
    RelaySide answererSide;
    long lastForwardNanos;
    boolean live = true;

    RelayPair(Account requester, Account answerer, RegistryConfig config, Timer.Task onIdle) {
        this.requester = requester;
        this.answerer = answerer;
        this.bytes = new RateBucket(config.relaySessionBytesPerSecond, config.relaySessionByteBurst);
        this.packets = new RateBucket(config.relaySessionPacketsPerSecond, config.relaySessionPacketBurst);
        this.idle = new Timer(onIdle);
    }

    /** True if {@code n} more bytes (one datagram) fit this session's and the sender's buckets; takes them if so. */
    boolean admit(RelayAccount sender, int n, long now) {
        if (!packets.available(1, now) || !bytes.available(n, now) || !sender.bytes.available(n, now)) {
            return false;
        }
        packets.take(1);
        bytes.take(n);
        sender.bytes.take(n);
        return true;
    }
}
