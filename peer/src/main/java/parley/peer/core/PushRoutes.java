package parley.peer.core;

import parley.core.wire.BodyReader;
import parley.core.wire.WireException;
import parley.peer.event.ClientErrors;
import parley.server.protocol.RegistryOpcodes;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Who owns each registry push (ContactBook, Introductions, ...): one owner per opcode, and a
 * malformed push is reported and ignored, never fatal. Loop thread only.
 */
final class PushRoutes {
    private final Map<Integer, RegistryRequests.Push> pushes = new HashMap<>();

    void register(int opcode, RegistryRequests.Push handler) {
        if (pushes.putIfAbsent(opcode, handler) != null) {
            throw new IllegalStateException("a second owner for " + RegistryOpcodes.name(opcode));
        }
    }

    /** Hands the push to its owner; a push no one owns is dropped. */
    void route(int opcode, BodyReader body, BiConsumer<String, String> error) {
        RegistryRequests.Push handler = pushes.get(opcode);
        if (handler == null) {
            return;
        }
        try {
            handler.accept(body);
        } catch (WireException e) {
            error.accept(ClientErrors.MALFORMED_BODY, "ignored a malformed " + RegistryOpcodes.name(opcode)
                    + " from the registry: " + e.getMessage());
        }
    }
}
