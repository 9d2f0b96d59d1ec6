package parley.server.registry;

/**
 * A snapshot of the relay's counters (PROTOCOL.md 7.8): relayed sessions now and since start,
 * datagrams and inner bytes forwarded, allocations refused at a cap, and datagrams dropped by
 * reason. Taken on the loop by {@link RegistryServer#relayStats()}.
 */
public record RelayStats(int sessionsCurrent, long sessionsTotal, long packets, long bytes, long refused,
                         long malformed, long unknownToken, long wrongSession, long overQuota, long noPeerAddress,
                         long sendFailed) {
    /** Every dropped datagram, whatever the reason. */
    public long dropped() {
        return malformed + unknownToken + wrongSession + overQuota + noPeerAddress + sendFailed;
    }

    @Override
    public String toString() {
        return "relayed sessions " + sessionsCurrent + " (total " + sessionsTotal + "), forwarded " + packets + " datagrams / "
                + bytes + " bytes, refused " + refused + ", dropped: malformed " + malformed + ", unknown token " + unknownToken
                + ", wrong session " + wrongSession + ", over quota " + overQuota + ", no peer address " + noPeerAddress
                + ", send failed " + sendFailed;
    }
}
