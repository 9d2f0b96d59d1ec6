package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.ErrorCode;
import parley.core.wire.WireException;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * One transport candidate (PROTOCOL.md 7.8): an address a peer's UDP socket may be reached at.
 * {@code u8} family (4 or 6), then 4 or 16 address bytes, then a {@code u16} port (1-65535). The
 * address travels as raw bytes, never as text, so nothing about it is ever resolved and its family
 * is explicit; lists of these are {@link CandidateList}.
 */
public record Candidate(byte[] address, int port) {
    public static final int FAMILY_IPV4 = 4;
    public static final int FAMILY_IPV6 = 6;
    public static final int IPV4_BYTES = 4;
    public static final int IPV6_BYTES = 16;

    public Candidate {
        if (address.length != IPV4_BYTES && address.length != IPV6_BYTES) {
            throw new IllegalArgumentException("a candidate address is 4 or 16 bytes, not " + address.length);
        }
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("a candidate port is 1..65535, not " + port);
        }
    }

    /** The candidate for a socket address (its resolved address; a name is never looked up here). */
    public static Candidate of(InetSocketAddress a) {
        return new Candidate(a.getAddress().getAddress(), a.getPort());
    }

    public int family() {
        return address.length == IPV4_BYTES ? FAMILY_IPV4 : FAMILY_IPV6;
    }

    /** The address as the JDK's type; made from bytes, so no DNS. */
    public InetAddress inetAddress() {
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen: the length was checked
        }
    }

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(inetAddress(), port);
    }

    static Candidate read(BodyReader r) {
        int family = r.u8();
        int n = family == FAMILY_IPV4 ? IPV4_BYTES : family == FAMILY_IPV6 ? IPV6_BYTES : -1;
        if (n < 0) {
            throw new WireException(ErrorCode.MALFORMED_BODY, "candidate family must be 4 or 6, not " + family);
        }
        byte[] a = new byte[n];
        r.fixed(a);
        int port = r.u16();
        if (port == 0) {
            throw new WireException(ErrorCode.MALFORMED_BODY, "candidate port must be 1..65535");
        }
        return new Candidate(a, port);
    }

    void write(BodyWriter w) {
        w.u8(family()).fixed(address).u16(port);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Candidate c && c.port == port && Arrays.equals(c.address, address);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address) * 31 + port;
    }

    @Override
    public String toString() {
        return socketAddress().toString();
    }
}
