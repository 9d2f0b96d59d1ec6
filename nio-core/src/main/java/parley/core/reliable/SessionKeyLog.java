package parley.core.reliable;

import parley.core.crypto.SessionKeys;

/**
 * Told the directional keys of every session a {@link PeerEndpoint} opens, so that a debugging
 * key log (PROTOCOL.md section 12, {@code --keylog}) can let a dissector decrypt a capture. Called
 * on the loop thread, once per session: an implementation must not block (hand the write to
 * another thread). Anyone holding what it is told can read and forge the session.
 */
public interface SessionKeyLog {
    /**
     * {@code localId} is our session id (datagrams to it are sealed with {@code keys.receiveKey},
     * or {@code keys.gcmReceiveKey} for flags 0x01), {@code remoteId} the other side's (ours to it
     * use {@code keys.sendKey}, or {@code keys.gcmSendKey}).
     */
    void sessionOpened(long localId, long remoteId, SessionKeys keys);
}
