package parley.peer.core;

import parley.core.reliable.SessionPath;
import parley.peer.event.SessionEvents;
import parley.peer.net.PeerTransport;

import java.nio.ByteBuffer;

/**
 * The transport's callbacks for the chat sessions of {@link Conversations}, routed by owner: what
 * arrives before the identity handshake to {@link SessionAuth}, group payloads and the settlement
 * of group copies to the {@link GroupWire} (issue 14), chat to the {@link Inbox} and the
 * {@link Outbox}, path news to {@link SessionPaths}, a dead session back to the conversations.
 * Loop thread only.
 */
final class SessionTraffic implements PeerTransport.Listener {
    private final Conversations chats;
    private final SessionAuth auth;
    private final Inbox inbox;
    private final Outbox outbox;
    private final SessionPaths paths;
    private final int maxText;
    /** Group copies on our sessions (issue 14): their payloads and settlements; null: no groups. */
    private GroupWire groups;

    SessionTraffic(Conversations chats, SessionAuth auth, Inbox inbox, Outbox outbox, SessionPaths paths, int maxText) {
        this.chats = chats;
        this.auth = auth;
        this.inbox = inbox;
        this.outbox = outbox;
        this.paths = paths;
        this.maxText = maxText;
    }

    void groups(GroupWire g) {
        this.groups = g;
    }

    @Override
    public int onMessage(long sessionId, ByteBuffer payload) {
        Conversation c = chats.bySession(sessionId);
        if (c != null && !c.authenticated) {
            return auth.onMessage(c, payload, maxText);
        }
        int group = c != null && groups != null ? groups.receive(c, payload) : -1;
        return group >= 0 ? group : inbox.receive(c, sessionId, payload);
    }

    @Override
    public void onRejected(long sessionId, long messageId, int reason) {
        Conversation c = chats.bySession(sessionId);
        if (groups != null && groups.settle(sessionId, messageId, ChatPayload.rejectText(reason), false)) {
            return;
        }
        if (c != null) {
            outbox.rejected(c, messageId, reason);
        }
    }

    @Override
    public void onDelivered(long sessionId, long messageId) {
        Conversation c = chats.bySession(sessionId);
        if (groups != null && groups.settle(sessionId, messageId, null, false)) {
            return;
        }
        if (c != null) {
            outbox.delivered(c, messageId);
        }
    }

    @Override
    public void onFailed(long sessionId, long messageId, String reason) {
        Conversation c = chats.bySession(sessionId);
        if (groups != null && groups.settle(sessionId, messageId, reason, true)) {
            return;
        }
        if (c != null) {
            outbox.lost(c, messageId, reason);
        }
    }

    @Override
    public void onPathChanged(long sessionId, SessionPath path, String why) {
        Conversation c = chats.bySession(sessionId);
        if (c != null && c.localId == sessionId) {
            paths.changed(c, path, why);
        }
    }

    @Override
    public void onPunchingEnded(long sessionId, boolean direct) {
        Conversation c = chats.bySession(sessionId);
        if (c != null && c.localId == sessionId) {
            paths.punchEnded(c, direct ? SessionEvents.PunchEnded.DIRECT : SessionEvents.PunchEnded.GAVE_UP);
        }
    }

    @Override
    public void onSessionDead(long sessionId, String reason) {
        chats.dropSession(sessionId, reason);
    }
}
