package parley.server.registry;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Checks that an announced host is an IP address literal a peer could send to: a dotted-quad IPv4
 * address or an IPv6 address in RFC 4291 text (no brackets, no zone id), and neither the
 * unspecified address nor a multicast one. Peers dial what the registry passes on without
 * resolving names (DNS would block their loop), so a name or garbage would only waste their
 * attempts. Never resolves anything itself: the text is checked before the JDK parses it, and
 * the JDK parses literals without DNS.
 */
final class IpLiteral {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final int MAX_IPV6_TEXT = 45;

    private IpLiteral() {
    }

    static boolean isUnicast(String host) {
        InetAddress a = parse(host);
        return a != null && !a.isAnyLocalAddress() && !a.isMulticastAddress();
    }

    /** The address the literal names, or null when {@code host} is not an IPv4 or IPv6 literal. */
    static InetAddress parse(String host) {
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
}
