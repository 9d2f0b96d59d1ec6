package parley.server.protocol;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Checks that a host from the network (an announced endpoint at the registry, an endpoint from
 * the registry at a peer) is an IP address literal a peer could send to: a dotted-quad IPv4
 * address or an IPv6 address in RFC 4291 text (no brackets, no zone id), and neither the
 * unspecified address nor a multicast one. Peers dial what the registry passes on without
 * resolving names (DNS would block their loop), so a name or garbage would only waste their
 * attempts. Never resolves anything itself: the text is checked before the JDK parses it, and
 * the JDK parses literals without DNS.
 */
public final class IpLiteral {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final int MAX_IPV6_TEXT = 45;

    private IpLiteral() {
    }

    /** True for a unicast IPv4 or IPv6 literal (not 0.0.0.0, ::, or multicast). */
    public static boolean isUnicast(String host) {
        return unicast(host) != null;
    }

    /** The address the literal names, or null when {@code host} is not an IPv4 or IPv6 literal. */
    public static InetAddress parse(String host) {
        boolean v4 = IPV4.matcher(host).matches();
        boolean v6 = !v4 && host.indexOf(':') >= 0 && host.length() <= MAX_IPV6_TEXT && IPV6_CHARS.matcher(host).matches();
        if (!v4 && !v6) {
            return null;
        }
        try {
            InetAddress a = InetAddress.getByName(host); // a literal: parsed, never looked up
            // An IPv4-mapped IPv6 text ("::ffff:1.2.3.4") comes back as IPv4; the family must be the text's.
            return v4 == (a instanceof Inet4Address) ? a : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The unicast address {@code host} names, or null: what a peer may send to. */
    public static InetAddress unicast(String host) {
        InetAddress a = parse(host);
        return a == null || a.isAnyLocalAddress() || a.isMulticastAddress() ? null : a;
    }

    /**
     * True for an address that reaches no farther than a host or its local networks: loopback,
     * link-local, private IPv4 (10/8, 172.16/12, 192.168/16), shared CGN space (100.64/10) and
     * IPv6 unique-local (fc00::/7). The registry may pass such an announced address on unconfirmed:
     * a peer sending there reaches at most its own LAN, never a third party on the internet.
     */
    public static boolean isLocalScope(InetAddress a) {
        if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (b.length == 4) {
            return (b[0] & 0xFF) == 100 && (b[1] & 0xC0) == 64;
        }
        return (b[0] & 0xFE) == 0xFC;
    }
}
