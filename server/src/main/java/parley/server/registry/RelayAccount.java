package parley.server.registry;

import parley.server.policy.RateBucket;

import java.util.ArrayList;
import java.util.List;

/**
 * An account's share of the relay: the relayed sessions it is part of (for the per-account cap
 * and for teardown when its privacy or session changes) and the byte bucket that all the
 * datagrams it sends through them draw from. Exists while the account has a relayed session.
 */
final class RelayAccount {
    final Account account;
    final RateBucket bytes;
    final List<RelayPair> pairs = new ArrayList<>();

    RelayAccount(Account account, RegistryConfig config) {
        this.account = account;
        this.bytes = new RateBucket(config.relayAccountBytesPerSecond, config.relayAccountByteBurst);
    }
}
