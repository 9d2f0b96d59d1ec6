package parley.peer.core;

import parley.server.client.RegistryClient;

/**
 * What opening chat sessions needs from the registry link: who we are, and requests with their
 * replies on the loop. An interface so the introduction logic runs against a fake registry in
 * tests, on synthetic order, without sockets.
 */
interface RegistryRequests {
    /** The logged-in username, or null. */
    String user();

    void request(int opcode, RegistryClient.Body body, RegistryClient.Reply reply);
}
