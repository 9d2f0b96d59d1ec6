package parley.peer.core;

import java.net.InetSocketAddress;

/** A chat-session request from another user (PEER_INVITE), waiting for /accept or /decline. */
final class Invite {
    final int id;
    final String user;
    final long remoteId;
    final byte[] remotePublic;
    final InetSocketAddress endpoint;
    /** The requester's endpoint pair and candidates as the registry disclosed them (7.8): where to punch. */
    final parley.server.protocol.Endpoints endpoints;
    final java.util.List<parley.server.protocol.Candidate> candidates;
    /** The requester's identity bundle from the PEER_INVITE, or null (section 7.9). */
    final parley.server.protocol.IdentityBundle identity;

    Invite(int id, String user, long remoteId, byte[] remotePublic, InetSocketAddress endpoint) {
        this(id, user, remoteId, remotePublic, endpoint, null, java.util.List.of(), null);
    }

    Invite(int id, String user, long remoteId, byte[] remotePublic, InetSocketAddress endpoint,
           parley.server.protocol.Endpoints endpoints, java.util.List<parley.server.protocol.Candidate> candidates,
           parley.server.protocol.IdentityBundle identity) {
        this.endpoints = endpoints;
        this.candidates = candidates;
        this.identity = identity;
        this.id = id;
        this.user = user;
        this.remoteId = remoteId;
        this.remotePublic = remotePublic;
        this.endpoint = endpoint;
    }
}
