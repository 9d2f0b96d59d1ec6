package parley.server.policy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The network a source address belongs to, as the throttles count it: the /24 of an IPv4 address
 * and the /64 of an IPv6 one. One subscriber usually holds a whole IPv6 /64 (and can pick any
 * address in it at will), and often many addresses of one IPv4 /24, so counting single addresses
 * would hand an attacker a fresh budget per address. An IPv4-mapped IPv6 address counts as IPv4.
 */
public final class AddressPrefix {
    public static final int IPV4_BITS = 24;
    public static final int IPV6_BITS = 64;
    private static final int IPV4_BYTES = IPV4_BITS / 8;
    private static final int IPV6_BYTES = IPV6_BITS / 8;
    private static final int MAPPED_V4_OFFSET = 12;

    private AddressPrefix() {
    }

    /** A short text key for the prefix, e.g. {@code "4:10.1.2"} or {@code "6:20010db8000000aa"}. */
    public static String of(InetAddress address) {
        byte[] a = address.getAddress();
        if (address instanceof Inet4Address) {
            return v4(a, 0);
        }
        if (address instanceof Inet6Address && isMappedV4(a)) {
            return v4(a, MAPPED_V4_OFFSET);
        }
        StringBuilder b = new StringBuilder(2 + 2 * IPV6_BYTES).append("6:");
        for (int i = 0; i < IPV6_BYTES; i++) {
            b.append(Character.forDigit((a[i] >> 4) & 0xF, 16)).append(Character.forDigit(a[i] & 0xF, 16));
        }
        return b.toString();
    }

    private static String v4(byte[] a, int from) {
        StringBuilder b = new StringBuilder(16).append("4:");
        for (int i = 0; i < IPV4_BYTES; i++) {
            if (i > 0) {
                b.append('.');
            }
            b.append(a[from + i] & 0xFF);
        }
        return b.toString();
    }

    private static boolean isMappedV4(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
    }
}
