package parley.peer.core;

import parley.peer.net.PeerTransport;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The transport's callbacks, split by owner: everything about peer sessions goes to the
 * conversations, datagrams that belong to no session (the registry's probe challenges) to the
 * {@link ProbeResponder}.
 */
final class TransportRouter implements PeerTransport.Listener {
    private final PeerTransport.Listener sessions;
    private final ProbeResponder probes;
    private final Conversations chats;
    private final FileShare files;

    TransportRouter(Conversations sessions, FileShare files, ProbeResponder probes) {
        this.sessions = sessions.traffic();
        this.chats = sessions;
        this.files = files;
        this.probes = probes;
    }

    /**
     * Stream 0: file control messages (kinds 0x10-0x16 but FILE_HASHES and FILE_CHUNK, PROTOCOL.md
     * 9.7) go to the transfers, the rest to the chats. File data belongs on stream 1 (9.9): here
     * it is refused (MALFORMED), since stream 0's intake does not wait for a free piece buffer.
     */
    @Override
    public int onMessage(long sessionId, ByteBuffer payload) {
        if (FileShare.isFile(payload)) {
            if (FileShare.isFileData(payload)) {
                return ChatPayload.REJECT_MALFORMED;
            }
            return files.onPayload(chats.bySession(sessionId), sessionId, payload);
        }
        return sessions.onMessage(sessionId, payload);
    }

    /** Stream 1 carries FILE_HASHES and FILE_CHUNK only (PROTOCOL.md 9.9); anything else is dropped. */
    @Override
    public int onBulkMessage(long sessionId, ByteBuffer payload) {
        if (!FileShare.isFileData(payload)) {
            return ChatPayload.REJECT_MALFORMED;
        }
        return files.onPayload(chats.bySession(sessionId), sessionId, payload);
    }

    @Override
    public void onBulkRoom(long sessionId) {
        files.onBulkRoom();
    }

    @Override
    public void onRejected(long sessionId, long messageId, int reason) {
        sessions.onRejected(sessionId, messageId, reason);
    }

    @Override
    public void onDelivered(long sessionId, long messageId) {
        sessions.onDelivered(sessionId, messageId);
    }

    @Override
    public void onFailed(long sessionId, long messageId, String reason) {
        sessions.onFailed(sessionId, messageId, reason);
    }

    @Override
    public void onSessionDead(long sessionId, String reason) {
        sessions.onSessionDead(sessionId, reason);
    }

    @Override
    public void onPathChanged(long sessionId, parley.core.reliable.SessionPath path, String why) {
        sessions.onPathChanged(sessionId, path, why);
    }

    @Override
    public void onPunchingEnded(long sessionId, boolean direct) {
        sessions.onPunchingEnded(sessionId, direct);
    }

    @Override
    public void onStrayDatagram(InetSocketAddress from, ByteBuffer datagram) {
        probes.onDatagram(from, datagram);
        sessions.onStrayDatagram(from, datagram);
    }
}
