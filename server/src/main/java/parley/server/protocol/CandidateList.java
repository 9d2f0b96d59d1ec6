package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.ErrorCode;
import parley.core.wire.WireException;

import java.util.ArrayList;
import java.util.List;

/**
 * A candidate list (PROTOCOL.md 7.8): {@code u8} count (0-{@value #MAX}) then that many
 * {@link Candidate}s. The count is checked before anything is allocated for it.
 */
public final class CandidateList {
    /** At most this many candidates in one list; more is MALFORMED_BODY. */
    public static final int MAX = 8;

    private CandidateList() {
    }

    public static List<Candidate> read(BodyReader r) {
        int n = r.u8();
        if (n > MAX) {
            throw new WireException(ErrorCode.MALFORMED_BODY, "a candidate list holds at most " + MAX + ", not " + n);
        }
        if (n == 0) {
            return List.of();
        }
        List<Candidate> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Candidate.read(r));
        }
        return List.copyOf(out);
    }

    public static void write(BodyWriter w, List<Candidate> candidates) {
        if (candidates.size() > MAX) {
            throw new IllegalArgumentException("a candidate list holds at most " + MAX);
        }
        w.u8(candidates.size());
        for (Candidate c : candidates) {
            c.write(w);
        }
    }
}
