package parley.peer.file;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * What {@link Transfers} needs from the peer, on the loop: the session to a user, and where
 * events go. Kept narrow so the engine is tested with two engines wired back to back.
 */
public interface FileLink {
    /** Sends a small control payload (offer, answer, ack, cancel) at chat priority; false if refused. */
    boolean send(String user, ByteBuffer payload);

    /**
     * Sends a FILE_HASHES or FILE_CHUNK payload through the session's bulk gate (BulkGate); false
     * when the gate refuses: {@link Transfers#pump} is called again when data has left.
     */
    boolean sendBulk(String user, ByteBuffer payload);

    /** The events of docs/peer-events.md: file_offer, transfer, file_received. */
    interface Events {
        void offer(String from, long transfer, String name, long size, String sha256);

        void transfer(long transfer, String user, String direction, long bytes, long size, long rateBps, String state);

        void received(long transfer, String from, Path path, long size, String sha256);
    }
}
