package parley.core.tcp;

import parley.core.wire.BodyReader;
import parley.core.wire.Header;
import parley.core.wire.MessageClass;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;

/** Test helpers that write and read registry-style TCP frames over plain blocking sockets (not the reliable channel's frames). */
final class BlockingFrames {
    private BlockingFrames() {
    }

    static byte[] frame(int opcode, int correlation, byte[] body) {
        ByteBuffer buf = ByteBuffer.allocate(Header.LENGTH + body.length);
        new Header().wrap(buf, 0).set(MessageClass.COMMAND, opcode, 0, correlation, body.length);
        buf.position(Header.LENGTH);
        buf.put(body);
        return buf.array();
    }

    /** Reads one frame; returns null at end of stream. */
    static ByteBuffer read(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] head = new byte[Header.LENGTH];
        try {
            in.readFully(head);
        } catch (EOFException e) {
            return null;
        }
        ByteBuffer h = ByteBuffer.wrap(head);
        int body = (int) new Header().wrap(h, 0).bodyLength();
        ByteBuffer frame = ByteBuffer.allocate(Header.LENGTH + body);
        frame.put(head);
        in.readFully(frame.array(), Header.LENGTH, body);
        return frame;
    }

    static int errorCode(ByteBuffer frame) {
        Header h = new Header().wrap(frame, 0);
        return new BodyReader().wrap(frame, Header.LENGTH, (int) h.bodyLength()).u16();
    }

    static Socket connect(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        s.setTcpNoDelay(true);
        return s;
    }
}
