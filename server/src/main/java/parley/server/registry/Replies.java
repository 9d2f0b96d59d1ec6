package parley.server.registry;

import parley.core.tcp.TcpConnection;
import parley.core.wire.BodyWriter;
import parley.core.wire.Flags;
import parley.core.wire.Header;
import parley.core.wire.MessageClass;

import java.nio.ByteBuffer;

/**
 * Builds outgoing frames in the loop's shared scratch buffer: begin, write the body, then send as
 * a response or a push. One instance per loop; nothing is allocated per message.
 */
final class Replies {
    private final Header header = new Header();
    private final BodyWriter writer = new BodyWriter();
    private final int maxFrameLength;
    private ByteBuffer buffer;

    Replies(int maxFrameLength) {
        this.maxFrameLength = maxFrameLength;
    }

    BodyWriter begin(TcpConnection c) {
        buffer = c.scratch();
        buffer.limit(maxFrameLength);
        return writer.wrap(buffer, Header.LENGTH);
    }

    void respond(TcpConnection c, int messageClass, int opcode, int correlationId) {
        send(c, messageClass, opcode, Flags.RESPONSE, correlationId);
    }

    void push(TcpConnection c, int opcode) {
        send(c, MessageClass.CONTROL, opcode, Flags.PUSH, 0);
    }

    private void send(TcpConnection c, int messageClass, int opcode, int flags, int correlationId) {
        int length = writer.length();
        header.wrap(buffer, 0).set(messageClass, opcode, flags, correlationId, length);
        buffer.limit(Header.LENGTH + length).position(0);
        c.write(buffer);
    }

    /** An empty success response to a COMMAND. */
    void ok(TcpConnection c, int opcode, int correlationId) {
        begin(c);
        respond(c, MessageClass.COMMAND, opcode, correlationId);
    }
}
