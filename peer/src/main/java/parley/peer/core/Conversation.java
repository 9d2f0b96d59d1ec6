package parley.peer.core;

import parley.core.crypto.X25519KeyPair;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/** Our side of a chat with one user: the peer session, if any, and messages on their way. */
final class Conversation {
    /** ANSWERING: we accepted their invite and wait for the registry's answer (and relay grant) to open. */
    enum State { IDLE, REQUESTING, ANSWERING, OPEN }

    /** A message the user sent: its id, text and time, until delivered or failed. */
    static final class Outgoing {
        final long id;
        final String text;
        /** The text in UTF-8, encoded once when the user sent it. */
        final byte[] utf8;
        final long sentAt;

        Outgoing(long id, String text, byte[] utf8, long sentAt) {
            this.id = id;
            this.text = text;
            this.utf8 = utf8;
            this.sentAt = sentAt;
        }
    }

    String user;
    State state = State.IDLE;
    long localId;
    X25519KeyPair keys;
    String fingerprint;
    /** The identity handshake of the open session while it runs (SessionAuth); null once done. */
    SessionAuth.State auth;
    /** The open session's peer proved its identity: messages may go and be delivered. */
    boolean authenticated;
    /** The invite id the registry gave our outstanding PEER_CONNECT; Introductions.NO_INVITE before. */
    int requestInvite = Introductions.NO_INVITE;
    /** Their invite, held while our own request wins a glare (see Introductions). */
    Invite heldInvite;
    /** Accepted by the user, waiting for the session to open. */
    final ArrayDeque<Outgoing> waiting = new ArrayDeque<>();
    /** Handed to the transport, by transport message id. */
    final Map<Long, Outgoing> inflight = new HashMap<>();
    /** RECEIPTs handed to the transport: transport message id to the id they confirm. */
    final Map<Long, Long> receipts = new HashMap<>();

    Conversation(String user) {
        this.user = user;
    }
}
