package parley.peer.core;

import java.net.InetSocketAddress;

/** A chat-session request from another user (PEER_INVITE), waiting for /accept or /decline. */
final class Invite {
    final int id;
    final String user;
    final long remoteId;
    final byte[] remotePublic;
    final InetSocketAddress endpoint;
    /** The requester's identity bundle from the PEER_INVITE, or null (section 7.9). */
    final parley.server.protocol.IdentityBundle identity;

    Invite(int id, String user, long remoteId, byte[] remotePublic, InetSocketAddress endpoint,
           parley.server.protocol.IdentityBundle identity) {
        this.identity = identity;
        this.id = id;
        this.user = user;
        this.remoteId = remoteId;
        this.remotePublic = remotePublic;
        this.endpoint = endpoint;
    }
}
