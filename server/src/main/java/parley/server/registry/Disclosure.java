package parley.server.registry;

import parley.core.wire.BodyWriter;
import parley.server.protocol.Candidate;
import parley.server.protocol.Endpoints;
import parley.server.protocol.IpLiteral;
import parley.server.protocol.PathFlags;
import parley.server.protocol.PeerIntroduction;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

/**
 * What the registry tells one peer about another's addresses (PROTOCOL.md 7.2, 7.8): the endpoint
 * pair and the candidate list. Both are only the other peer's claims except the observed endpoint,
 * which a PROBE_CHALLENGE round confirmed; so a claimed address is passed on only where it cannot
 * aim others at a third party: when it reaches no farther than a LAN ({@link IpLiteral#isLocalScope})
 * or when it is the confirmed observed host. Whether the two may learn anything at all is decided
 * before, by {@link Presence}; this class only filters what they may learn. A side that asked for
 * NO_DIRECT discloses nothing. Loop thread only.
 */
final class Disclosure {
    private Disclosure() {
    }

    /** The endpoint pair of {@code s}, the announced one withheld unless it passes the rule above. */
    static void writeEndpoints(BodyWriter w, Session s) {
        boolean disclose = s.announcedHost != null
                && (s.announcedLocal || s.observed != null && s.observed.getAddress().equals(s.announcedAddress));
        Endpoints.write(w, disclose ? s.announcedHost : null, disclose ? s.announcedPort : 0, s.observedHost,
                s.observed == null ? 0 : s.observed.getPort());
    }

    /**
     * The tail of PEER_INVITE / PEER_READY about {@code s}: its endpoint pair, its path flags and its
     * candidates after the filter; with NO_DIRECT a blank pair, the flag and an empty list.
     */
    static void writeIntroduction(BodyWriter w, Session s, int flags, List<Candidate> candidates) {
        if (PathFlags.noDirect(flags)) {
            Endpoints.write(w, null, 0, null, 0);
            PeerIntroduction.writePath(w, flags, List.of());
            return;
        }
        writeEndpoints(w, s);
        PeerIntroduction.writePath(w, flags, filter(s, candidates));
    }

    /** The candidates of {@code s} that may be disclosed; the others are dropped, not blanked. */
    static List<Candidate> filter(Session s, List<Candidate> candidates) {
        if (candidates.isEmpty()) {
            return candidates;
        }
        InetAddress observed = s.observed == null ? null : s.observed.getAddress();
        byte[] observedBytes = observed == null ? null : observed.getAddress();
        Candidate[] kept = new Candidate[candidates.size()];
        int n = 0;
        for (Candidate c : candidates) {
            InetAddress a = c.inetAddress();
            if (a.isAnyLocalAddress() || a.isMulticastAddress()) {
                continue;
            }
            if (IpLiteral.isLocalScope(a) || observedBytes != null && Arrays.equals(observedBytes, c.address())) {
                kept[n++] = c;
            }
        }
        return n == candidates.size() ? candidates : List.of(Arrays.copyOf(kept, n));
    }
}
