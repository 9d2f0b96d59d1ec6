package parley.server.registry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.wire.BodyWriter;
import parley.core.wire.Flags;
import parley.core.wire.Header;
import parley.core.wire.MessageClass;
import parley.server.protocol.RegistryErrors;
import parley.server.store.Completion;
import parley.server.store.StorageFailure;

import java.nio.ByteBuffer;

/**
 * Builds outgoing frames in the link's shared scratch buffer: begin, write the body with a
 * protocol class ({@code parley.server.protocol}), then send as a response or a push. One
 * instance per registry; nothing is allocated per message. Also the answers that may come after
 * an asynchronous step (a storage write, a proof check), when the connection may have gone.
 */
final class Replies {
    private static final Logger log = LoggerFactory.getLogger(Replies.class);
    private final Header header = new Header();
    private final BodyWriter writer = new BodyWriter();
    private final int maxFrameLength;
    private ByteBuffer buffer;

    Replies(int maxFrameLength) {
        this.maxFrameLength = maxFrameLength;
    }

    BodyWriter begin(Link c) {
        buffer = c.scratch();
        buffer.limit(maxFrameLength);
        return writer.wrap(buffer, Header.LENGTH);
    }

    void respond(Link c, int messageClass, int opcode, int correlationId) {
        send(c, messageClass, opcode, Flags.RESPONSE, correlationId);
    }

    void push(Link c, int opcode) {
        send(c, MessageClass.CONTROL, opcode, Flags.PUSH, 0);
    }

    private void send(Link c, int messageClass, int opcode, int flags, int correlationId) {
        int length = writer.length();
        header.wrap(buffer, 0).set(messageClass, opcode, flags, correlationId, length);
        buffer.limit(Header.LENGTH + length).position(0);
        c.write(buffer);
    }

    /** An empty success response to a COMMAND, if the session's connection is still open. */
    void ok(Session s, int opcode, int correlationId) {
        if (s.link.isOpen()) {
            begin(s.link);
            respond(s.link, MessageClass.COMMAND, opcode, correlationId);
        }
    }

    /** An ERROR answering {@code correlation}, if the session's connection is still open. */
    void error(Session s, int correlation, int code, String reason) {
        if (s.link.isOpen()) {
            s.link.sendError(correlation, code, reason);
        }
    }

    /** A storage completion that runs {@code then} once the write has committed, or answers the error. */
    <T> Completion<T> committed(Session s, int correlation, Runnable then) {
        return (value, error) -> {
            if (error != null) {
                storageFailed(s, correlation, error);
                return;
            }
            then.run();
        };
    }

    /** As {@link #committed}, handing the storage's answer to {@code then}. */
    <T> Completion<T> committedValue(Session s, int correlation, java.util.function.Consumer<T> then) {
        return (value, error) -> {
            if (error != null) {
                storageFailed(s, correlation, error);
                return;
            }
            then.accept(value);
        };
    }

    /** A cluster node cut off from its bus (PROTOCOL.md 7.13). */
    void busUnavailable(Session s, int correlation) {
        error(s, correlation, RegistryErrors.BUS_UNAVAILABLE,
                "this registry node has lost its link to the other nodes; retry shortly or use another node");
    }

    void storageFailed(Session s, int correlation, StorageFailure error) {
        if (StorageErrors.worthLogging(error)) {
            log.error("storage write failed", error);
        }
        error(s, correlation, StorageErrors.toWire(error), StorageErrors.reason(error));
    }
}
