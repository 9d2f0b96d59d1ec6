package parley.server.registry;

/** The relay's counters, bumped on the loop; {@link #snapshot} copies them for readers elsewhere. */
final class RelayMetrics {
    long sessionsTotal;
    long packets;
    long bytes;
    long refused;
    long malformed;
    long unknownToken;
    long wrongSession;
    long overQuota;
    long noPeerAddress;
    long sendFailed;

    RelayStats snapshot(int current) {
        return new RelayStats(current, sessionsTotal, packets, bytes, refused, malformed, unknownToken, wrongSession,
                overQuota, noPeerAddress, sendFailed);
    }
}
