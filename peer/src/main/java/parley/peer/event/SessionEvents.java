package parley.peer.event;

import java.util.List;

/**
 * Peer-session events: requests, opening, the path, closing, identity checks and statistics.
 * One record per event of docs/peer-events.md; see {@link PeerEvent} for the contract.
 */
public sealed interface SessionEvents extends PeerEvent {
    /** One peer session in {@code stats}; RTTs are {@link #NO_SAMPLE} before the first sample. */
    record SessionRow(String user, long rttP50Micros, long rttP99Micros, long rttMaxMicros, long retransmissions,
                      double loss, long bytesSent, long bytesReceived, String path) implements Part {
        public static final long NO_SAMPLE = -1;

        public void fields(FieldWriter w) {
            w.str("user", user).str("path", path).optNum("rtt_p50_us", rttP50Micros).optNum("rtt_p99_us", rttP99Micros)
                    .optNum("rtt_max_us", rttMaxMicros).num("retransmissions", retransmissions).dbl("loss", loss)
                    .num("bytes_sent", bytesSent).num("bytes_received", bytesReceived);
        }
    }

    /** Someone wants a chat session. */
    record SessionRequest(String from, int invite) implements SessionEvents {
        public String type() {
            return "session_request";
        }

        public void fields(FieldWriter w) {
            w.str("from", from).num("invite", invite);
        }
    }

    /** An encrypted peer session is open. */
    record SessionOpen(String user, String fingerprint) implements SessionEvents {
        public String type() {
            return "session_open";
        }

        public void fields(FieldWriter w) {
            w.str("user", user).str("fingerprint", fingerprint);
        }
    }

    /** Your session request was not accepted. */
    record SessionDeclined(String user, String reason) implements SessionEvents {
        public String type() {
            return "session_declined";
        }

        public void fields(FieldWriter w) {
            w.str("user", user).str("reason", reason);
        }
    }

    /**
     * Where a chat session's datagrams go (/path, and every change): kind "direct" or "relayed";
     * local is our UDP socket, remote the peer's address or the relay's; rtt_us null before a sample.
     */
    record Path(String user, String kind, String local, String remote, long rttMicros) implements SessionEvents {
        public String type() {
            return "path";
        }

        public void fields(FieldWriter w) {
            w.str("user", user).str("kind", kind).str("local", local).str("remote", remote).optNum("rtt_us", rttMicros);
        }
    }

    /** A peer session ended. */
    record SessionClosed(String user, String reason) implements SessionEvents {
        public String type() {
            return "session_closed";
        }

        public void fields(FieldWriter w) {
            w.str("user", user).str("reason", reason);
        }
    }

    /** The answer to /verify: the safety number; fingerprint is the open session's, or null. */
    record Verify(String user, String fingerprint, String safetyNumber, boolean verified) implements SessionEvents {
        public String type() {
            return "verify";
        }

        public void fields(FieldWriter w) {
            w.str("user", user).str("fingerprint", fingerprint).str("safety_number", safetyNumber).bool("verified", verified);
        }
    }

    /** A contact's identity key is not the pinned one; old and new are short fingerprints. */
    record IdentityChanged(String user, String old, String now, boolean held) implements SessionEvents {
        public String type() {
            return "identity_changed";
        }

        public void fields(FieldWriter w) {
            w.str("user", user).str("old", old).str("new", now).bool("held", held);
        }
    }

    /** The answer to /stats; user is you (null when not logged in). */
    record Stats(String user, List<SessionRow> sessions) implements SessionEvents {
        public Stats {
            sessions = List.copyOf(sessions);
        }

        public String type() {
            return "stats";
        }

        public void fields(FieldWriter w) {
            w.parts("sessions", sessions).str("user", user); // this order is the recorded output
        }
    }
}
