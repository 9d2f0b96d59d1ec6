package parley.peer.core;

import parley.core.wire.BodyReader;
import parley.server.protocol.client.RegistryClient;

/**
 * What a part of the peer needs from the registry link: who we are, requests with their replies
 * on the loop, and the pushes it owns. An interface so the introduction logic runs against a fake
 * registry in tests, on synthetic order, without sockets.
 */
interface RegistryRequests {
    /**
     * Reads one push body. A {@link parley.core.wire.WireException} thrown while reading (a
     * malformed body, an invalid user name) is reported and the push ignored, by the link.
     */
    @FunctionalInterface
    interface Push {
        void accept(BodyReader body);
    }

    /** The logged-in username, or null. */
    String user();

    void request(int opcode, RegistryClient.Body body, RegistryClient.Reply reply);

    /** Routes every push of {@code opcode} to {@code handler}, which owns it: one handler per opcode. */
    void onPush(int opcode, Push handler);
}
