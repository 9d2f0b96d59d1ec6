package parley.server.registry;

import parley.core.wire.BodyReader;
import parley.core.wire.CoreOpcodes;
import parley.core.wire.Flags;
import parley.core.wire.Header;
import parley.server.protocol.scram.ScramClient;
import parley.server.protocol.client.RegistryClient;
import parley.server.protocol.RegistryOpcodes;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;

/**
 * A blocking registry client whose socket is bound to a chosen loopback source address, so a test
 * can log in "from" different networks (127.0.1.1 and 127.0.2.1 are different /24s, and Linux
 * routes all of 127/8 to the loopback interface).
 */
final class BoundClient implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final javax.net.ssl.SSLSocket ch;
    private final java.io.InputStream in;
    private final java.io.OutputStream out;
    private int nextCorrelation = 1;

    /** An answer: 0 and its body, or an error code. */
    record Reply(int error, BodyReader body) {
        boolean ok() {
            return error == 0;
        }
    }

    BoundClient(InetSocketAddress server, String sourceIp) throws IOException {
        java.net.Socket plain = new java.net.Socket();
        plain.bind(new InetSocketAddress(sourceIp, 0));
        plain.connect(server);
        // Over TLS like every client: the socket is bound first so the source address is ours.
        ch = (javax.net.ssl.SSLSocket) parley.server.protocol.client.TestTls.clientContext().getSocketFactory()
                .createSocket(plain, server.getHostString(), server.getPort(), true);
        ch.setEnabledProtocols(new String[] {"TLSv1.3"});
        ch.startHandshake();
        in = ch.getInputStream();
        out = ch.getOutputStream();
    }

    Reply call(int opcode, RegistryClient.Body body) throws IOException {
        ByteBuffer frame = RegistryClient.encode(opcode, body);
        int correlation = nextCorrelation++;
        frame.putInt(Header.CORRELATION_OFFSET, correlation);
        out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
        out.flush();
        while (true) {
            ByteBuffer head = read(Header.LENGTH);
            Header h = new Header().wrap(head, 0);
            ByteBuffer body2 = read((int) h.bodyLength());
            BodyReader r = new BodyReader().wrap(body2, 0, body2.capacity());
            if (h.correlationId() != correlation || (h.flags() & Flags.PUSH) != 0) {
                continue; // a push: not our answer
            }
            return h.opcode() == CoreOpcodes.ERROR ? new Reply(r.u16(), r) : new Reply(0, r);
        }
    }

    private ByteBuffer read(int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            int got = in.read(b.array(), b.position(), b.remaining());
            if (got < 0) {
                throw new EOFException("registry closed the connection");
            }
            b.position(b.position() + got);
        }
        return b.flip();
    }

    /** A whole SCRAM login; the answer of the step that failed, or of LOGIN_FINISH. */
    Reply login(String name, String password) throws Exception {
        ScramClient scram = new ScramClient(name, password, ScramClient.newNonce(RANDOM),
                parley.core.tls.ChannelBinding.client(ch.getSession()));
        String first = scram.clientFirst();
        Reply start = call(RegistryOpcodes.LOGIN_START, w -> w.string(first));
        if (!start.ok()) {
            return start;
        }
        String clientFinal = scram.clientFinal(start.body().string(1024));
        return call(RegistryOpcodes.LOGIN_FINISH, w -> w.string(clientFinal));
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
