package parley.peer.event;

import java.util.List;

/**
 * File-transfer events (issue 15, PROTOCOL.md 9.7): an offer, a transfer's state and progress, a
 * received file, and the {@code /files} list. One record per event of docs/peer-events.md; see
 * {@link PeerEvent} for the contract. Transfer ids are the 16 hex digits the user types in
 * {@code /accept file <id>}, so a script can pass on what it read.
 */
public sealed interface FileEvents extends PeerEvent {
    /** {@code from} offers a file; nothing is written before {@code /accept file <transfer>}. */
    record FileOffer(String from, String transfer, String name, long size, String sha256) implements FileEvents {
        public String type() {
            return "file_offer";
        }

        public void fields(FieldWriter w) {
            w.str("from", from).str("transfer", transfer).str("name", name).num("size", size).str("sha256", sha256);
        }
    }

    /**
     * A transfer's state (offered, active, paused, resumed, done, failed, cancelled, declined) and
     * progress: bytes verified by the receiver; rate_bps over the current run, in bits per second.
     * Progress while active is reported at most a few times a second, never per chunk.
     */
    record Transfer(String transfer, String user, String direction, long bytes, long size, long rateBps, String state)
            implements FileEvents {
        public String type() {
            return "transfer";
        }

        public void fields(FieldWriter w) {
            w.str("transfer", transfer).str("user", user).str("direction", direction).num("bytes", bytes)
                    .num("size", size).num("rate_bps", rateBps).str("state", state);
        }
    }

    /** A file arrived whole: its SHA-256 matched the offer's, and it was renamed into place at {@code path}. */
    record FileReceived(String transfer, String from, String path, long size, String sha256) implements FileEvents {
        public String type() {
            return "file_received";
        }

        public void fields(FieldWriter w) {
            w.str("transfer", transfer).str("from", from).str("path", path).num("size", size).str("sha256", sha256);
        }
    }

    /** One transfer in {@code files}. */
    record FileRow(String transfer, String user, String direction, String name, long bytes, long size, String state)
            implements Part {
        public void fields(FieldWriter w) {
            w.str("transfer", transfer).str("user", user).str("direction", direction).str("name", name)
                    .num("bytes", bytes).num("size", size).str("state", state);
        }
    }

    /** The answer to {@code /files}: every transfer this peer knows, finished ones included, oldest first. */
    record Files(List<FileRow> transfers) implements FileEvents {
        public Files {
            transfers = List.copyOf(transfers);
        }

        public String type() {
            return "files";
        }

        public void fields(FieldWriter w) {
            w.parts("transfers", transfers);
        }
    }
}
