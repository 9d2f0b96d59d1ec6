package parley.core.reliable;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where a session's datagrams go: {@link Kind#DIRECT} to the peer's validated address, or
 * {@link Kind#RELAYED} to a relay, each datagram wrapped in a {@link RelayPrefix} carrying this
 * side's 16-byte token. Immutable.
 */
public final class SessionPath {
    /** How datagrams reach the peer. */
    public enum Kind {
        DIRECT, RELAYED;

        /** Lowercase, as the peer's events spell it. */
        public String wireName() {
            return this == DIRECT ? "direct" : "relayed";
        }
    }

    private final Kind kind;
    private final InetSocketAddress address;
    private final byte[] token;

    private SessionPath(Kind kind, InetSocketAddress address, byte[] token) {
        this.kind = kind;
        this.address = Objects.requireNonNull(address, "address");
        this.token = token;
    }

    public static SessionPath direct(InetSocketAddress peer) {
        return new SessionPath(Kind.DIRECT, peer, null);
    }

    /** Through the relay at {@code relay}, with this side's token (16 bytes, copied). */
    public static SessionPath relayed(InetSocketAddress relay, byte[] token) {
        if (token.length != RelayPrefix.TOKEN_LENGTH) {
            throw new IllegalArgumentException("a relay token is " + RelayPrefix.TOKEN_LENGTH + " bytes");
        }
        return new SessionPath(Kind.RELAYED, relay, token.clone());
    }

    public Kind kind() {
        return kind;
    }

    public boolean relayed() {
        return kind == Kind.RELAYED;
    }

    /** The peer's address on a direct path, the relay's on a relayed one. */
    public InetSocketAddress address() {
        return address;
    }

    /** This side's relay token; only on a relayed path (the array itself: do not change it). */
    byte[] token() {
        return token;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionPath && ((SessionPath) o).kind == kind && ((SessionPath) o).address.equals(address)
                && Arrays.equals(((SessionPath) o).token, token);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + address.hashCode();
    }

    @Override
    public String toString() {
        return kind.wireName() + " " + address;
    }
}
