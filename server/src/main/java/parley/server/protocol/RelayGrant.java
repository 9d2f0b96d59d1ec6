package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.ErrorCode;
import parley.core.wire.WireException;

/**
 * A relay grant (PROTOCOL.md 7.8), the tail of the PEER_ANSWER response and of PEER_READY:
 * {@code u8} present (0 or 1); when 1, {@code bytes16} this side's relay token, {@code str} relay
 * host ("" = the registry's own UDP address, the one the peer probes) and {@code u16} relay port
 * (0 when the host is ""). Absent is written as a single 0 and read as null.
 *
 * <p>The token is what a peer puts in every RELAY datagram ({@link RelayDatagram}); it names this
 * side of one relayed session, so it is as secret as the session's TLS connection that carried it.
 */
public record RelayGrant(long tokenHi, long tokenLo, String host, int port) {
    public static final int TOKEN_BYTES = 16;
    public static final int ABSENT = 0;
    public static final int PRESENT = 1;

    public RelayGrant {
        if (host.isEmpty() != (port == 0)) {
            throw new IllegalArgumentException("relay port is 0 exactly when the host is empty");
        }
    }

    /** True when the relay is the registry's own UDP port. */
    public boolean atRegistry() {
        return host.isEmpty();
    }

    /** Reads an optional grant: null when absent. */
    public static RelayGrant read(BodyReader r) {
        int present = r.u8();
        if (present == ABSENT) {
            return null;
        }
        if (present != PRESENT) {
            throw new WireException(ErrorCode.MALFORMED_BODY, "relay present must be 0 or 1, not " + present);
        }
        long hi = r.i64();
        long lo = r.i64();
        String host = r.string(Limits.MAX_HOST_BYTES);
        int port = r.u16();
        if (host.isEmpty() != (port == 0)) {
            throw new WireException(ErrorCode.MALFORMED_BODY, "relay port must be 0 exactly when the relay host is empty");
        }
        return new RelayGrant(hi, lo, host, port);
    }

    /** Writes an optional grant: {@code g} null writes "absent". */
    public static void write(BodyWriter w, RelayGrant g) {
        if (g == null) {
            w.u8(ABSENT);
        } else {
            write(w, g.tokenHi, g.tokenLo, g.host, g.port);
        }
    }

    /** Flyweight form of a present grant. */
    public static void write(BodyWriter w, long tokenHi, long tokenLo, CharSequence host, int port) {
        w.u8(PRESENT).i64(tokenHi).i64(tokenLo).string(host).u16(port);
    }
}
