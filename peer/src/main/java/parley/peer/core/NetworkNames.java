package parley.peer.core;

import parley.core.wire.ErrorCode;
import parley.core.wire.WireException;
import parley.server.protocol.Usernames;

/**
 * User names that arrive from the network, checked against the registration rule (the
 * registry's own {@link Usernames}) before the peer uses them anywhere: a registry, or anyone on
 * its path while the link is plain, must not be able to slip {@code ../x}, {@code /tmp/abs} or
 * terminal control characters in where a name belongs. A name that breaks the rule makes the
 * whole body malformed. Every name a protocol record decodes passes {@link #checked} where it is used.
 */
final class NetworkNames {
    private NetworkNames() {
    }

    /** Returns {@code name} (decoded by a protocol record); throws {@link WireException} if it breaks the rule. */
    static String checked(String name) {
        if (Usernames.check(name) != 0) {
            throw new WireException(ErrorCode.MALFORMED_BODY, "a user name that breaks the registration rule");
        }
        return name;
    }

    /** True if {@code name} passes the registration rule. */
    static boolean valid(String name) {
        return name != null && Usernames.check(name) == 0;
    }

    /** True if {@code answered} is {@code typed} under the registry's case rule. */
    static boolean same(String typed, String answered) {
        return Usernames.key(typed).equals(Usernames.key(answered));
    }
}
