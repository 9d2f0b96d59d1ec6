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

    Invite(int id, String user, long remoteId, byte[] remotePublic, InetSocketAddress endpoint) {
        this(id, user, remoteId, remotePublic, endpoint, null, java.util.List.of());
    }

    Invite(int id, String user, long remoteId, byte[] remotePublic, InetSocketAddress endpoint,
           parley.server.protocol.Endpoints endpoints, java.util.List<parley.server.protocol.Candidate> candidates) {
        this.endpoints = endpoints;
        this.candidates = candidates;
        this.id = id;
        this.user = user;
        this.remoteId = remoteId;
        this.remotePublic = remotePublic;
        this.endpoint = endpoint;
    }
}
