package parley.peer.fake;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.Flags;
import parley.core.wire.Header;
import parley.core.wire.MessageClass;
import parley.server.auth.ScramCredentials;
import parley.server.protocol.scram.ScramException;
import parley.server.auth.ScramServer;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A hostile registry for tests: a TCP server speaking just enough of the registry protocol
 * (PROTOCOL.md sections 2, 4, 5 and 7) to let a real peer log in, and then lying wherever a test
 * tells it to. It knows the test password, so it completes SCRAM honestly (the peer's check that
 * the registry holds its account passes) and the attack is in what it answers: the user name in
 * the LOGIN_FINISH reply ({@link #loginName}), any request's answer ({@link #on}) and pushes
 * ({@link #push}). Every account has the same password. Blocking sockets, a thread per
 * connection: it is test code, not a model of the real server.
 */
public final class FakeRegistry implements AutoCloseable {
    /** The iteration count it hands out: the protocol's minimum, to keep tests quick. */
    public static final int ITERATIONS = ScramCredentials.MIN_ITERATIONS;
    private static final int MAX_BODY = 65_524;
    private static final int PROBE_KEY_BYTES = 32;

    private final ServerSocket server;
    private final ScramCredentials credentials;
    private final SecureRandom random = new SecureRandom();
    private final Map<Integer, BiConsumer<BodyReader, BodyWriter>> answers = new ConcurrentHashMap<>();
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final List<Integer> requests = new CopyOnWriteArrayList<>();
    private volatile UnaryOperator<String> loginName = typed -> typed;
    private volatile int visibility;
    private final Thread acceptor;

    public FakeRegistry(String password) throws IOException {
        byte[] salt = new byte[ScramCredentials.MIN_SALT_LENGTH];
        random.nextBytes(salt);
        this.credentials = ScramCredentials.derive(password, salt, ITERATIONS);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        // Lists a logged-in peer asks for at once, answered empty unless a test says otherwise.
        on(RegistryOpcodes.CONTACTS, (r, w) -> w.u16(0).u16(0).u16(0).u16(0));
        // The mailbox a logged-in peer drains: empty (u8 more 0, u16 count 0).
        on(RegistryOpcodes.MAIL_FETCH, (r, w) -> w.u8(0).u16(0));
        // The groups a logged-in peer loads (7.12): none.
        on(RegistryOpcodes.GROUPS, (r, w) -> w.u16(0));
        this.acceptor = new Thread(this::accept, "fake-registry");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The user name the LOGIN_FINISH reply carries, from the name the client sent. */
    public FakeRegistry loginName(UnaryOperator<String> fromTyped) {
        this.loginName = fromTyped;
        return this;
    }

    /** Answers {@code opcode} with what {@code answer} writes (it may read the request body). */
    public FakeRegistry on(int opcode, BiConsumer<BodyReader, BodyWriter> answer) {
        answers.put(opcode, answer);
        return this;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    /** Opcodes of every request received, in order. */
    public List<Integer> requests() {
        return requests;
    }

    /** Sends a push to every connected client. */
    public void push(int opcode, Consumer<BodyWriter> body) throws IOException {
        for (Connection c : connections) {
            c.send(RegistryOpcodes.classOf(opcode), opcode, Flags.PUSH, 0, body);
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Connection c = new Connection(s);
                connections.add(c);
                Thread t = new Thread(c::serve, "fake-registry-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Connection c : connections) {
            c.socket.close();
        }
    }

    private final class Connection {
        final Socket socket;
        final ByteBuffer out = ByteBuffer.allocate(Header.LENGTH + MAX_BODY);
        final BodyWriter writer = new BodyWriter();
        final Header header = new Header();
        ScramServer scram;

        Connection(Socket socket) {
            this.socket = socket;
        }

        void serve() {
            try (Socket s = socket) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] head = new byte[Header.LENGTH];
                Header h = new Header();
                BodyReader reader = new BodyReader();
                while (true) {
                    in.readFully(head);
                    h.wrap(ByteBuffer.wrap(head), 0);
                    long length = h.bodyLength();
                    if (length > MAX_BODY) {
                        return;
                    }
                    byte[] body = new byte[(int) length];
                    in.readFully(body);
                    requests.add(h.opcode());
                    answer(h.opcode(), h.correlationId(), reader.wrap(ByteBuffer.wrap(body), 0, body.length));
                }
            } catch (IOException e) {
                // the peer went away
            } finally {
                connections.remove(this);
            }
        }

        private void answer(int opcode, int correlation, BodyReader body) throws IOException {
            try {
                switch (opcode) {
                    case RegistryOpcodes.LOGIN_START: {
                        scram = new ScramServer(ScramServer.newNonce(random));
                        scram.clientFirst(body.string(MAX_BODY));
                        String first = scram.serverFirst(credentials, false);
                        reply(opcode, correlation, w -> w.string(first));
                        return;
                    }
                    case RegistryOpcodes.LOGIN_FINISH: {
                        String last = scram.clientFinal(body.string(MAX_BODY));
                        byte[] probeKey = new byte[PROBE_KEY_BYTES];
                        random.nextBytes(probeKey);
                        long probeId = random.nextLong();
                        String name = loginName.apply(scram.username());
                        reply(opcode, correlation, w -> w.string(last).i64(probeId).fixed(probeKey).string(name).u8(visibility).u8(0)); // no identity bundle
                        return;
                    }
                    default: {
                        BiConsumer<BodyReader, BodyWriter> a = answers.get(opcode);
                        reply(opcode, correlation, w -> {
                            if (a != null) {
                                a.accept(body, w);
                            }
                        });
                    }
                }
            } catch (ScramException e) {
                error(correlation, RegistryErrors.AUTH_FAILED, "fake registry: " + e.getMessage());
            }
        }

        private void reply(int opcode, int correlation, Consumer<BodyWriter> body) throws IOException {
            send(RegistryOpcodes.classOf(opcode), opcode, Flags.RESPONSE, correlation, body);
        }

        private synchronized void error(int correlation, int code, String reason) throws IOException {
            send(MessageClass.CONTROL, RegistryOpcodes.ERROR, Flags.RESPONSE, correlation, w -> w.u16(code).string(reason));
        }

        synchronized void send(int messageClass, int opcode, int flags, int correlation, Consumer<BodyWriter> body)
                throws IOException {
            out.clear();
            writer.wrap(out, Header.LENGTH);
            body.accept(writer);
            header.wrap(out, 0).set(messageClass, opcode, flags, correlation, writer.length());
            OutputStream o = socket.getOutputStream();
            o.write(out.array(), 0, Header.LENGTH + writer.length());
            o.flush();
        }
    }
}
