package parley.server.registry;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.CoreOpcodes;
import parley.core.wire.ErrorBody;
import parley.core.wire.Flags;
import parley.core.wire.Header;
import parley.core.wire.WireException;
import parley.server.protocol.scram.ScramClient;
import parley.server.auth.ScramCredentials;
import parley.server.protocol.client.RegistryClient;
import parley.server.protocol.LoginFinishReply;
import parley.server.protocol.RegisterRequest;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.ScramText;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One peer of the {@link Harness}: its requests go straight to the registry's router as frames,
 * and every frame the registry writes to it is captured, answers by correlation id and pushes in
 * a queue. A bad request is answered as the real connection answers it (an ERROR with the
 * {@link WireException}'s code), and a close by the registry shows in {@link #isOpen}.
 */
final class HarnessClient {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] SALT = new byte[16];
    private static final Map<String, ScramCredentials> DERIVED = new ConcurrentHashMap<>();

    /** A captured frame: opcode, flags, correlation id, body. */
    record Frame(int opcode, int flags, int correlation, byte[] body) {
        BodyReader reader() {
            return new BodyReader().wrap(ByteBuffer.wrap(body), 0, body.length);
        }

        boolean isPush() {
            return (flags & Flags.PUSH) != 0;
        }
    }

    /** An answer: error 0 and the body, or the ERROR's code and reason. */
    record Answer(int error, String reason, byte[] bytes) {
        boolean ok() {
            return error == 0;
        }

        BodyReader body() {
            return new BodyReader().wrap(ByteBuffer.wrap(bytes), 0, bytes.length);
        }
    }

    private final Harness harness;
    final InetSocketAddress address;
    final Link link = new CapturingLink();
    Session session;
    final Deque<Frame> pushes = new ArrayDeque<>();
    private final Deque<Frame> answers = new ArrayDeque<>();
    private boolean open = true;
    private int nextCorrelation = 1;
    private long probeId;

    HarnessClient(Harness harness, InetSocketAddress address) {
        this.harness = harness;
        this.address = address;
    }

    /** Sends a request and returns its answer, which the harness always has at once. */
    Answer call(int opcode, RegistryClient.Body body) {
        return call(opcode, 0, body);
    }

    /** Sends a request with the given header flags (a well-behaved client sends 0). */
    Answer call(int opcode, int flags, RegistryClient.Body body) {
        int correlation = send(opcode, flags, body);
        Answer a = answerTo(correlation);
        if (a == null) {
            throw new AssertionError(RegistryOpcodes.name(opcode) + " got no answer");
        }
        return a;
    }

    /** Sends a request without waiting for its answer (see {@link #answerTo}); returns its correlation id. */
    int send(int opcode, int flags, RegistryClient.Body body) {
        int correlation = nextCorrelation++;
        ByteBuffer frame = ByteBuffer.allocate(harness.config.maxFrameLength);
        BodyWriter w = new BodyWriter().wrap(frame, Header.LENGTH);
        body.write(w);
        new Header().wrap(frame, 0).set(RegistryOpcodes.classOf(opcode), opcode, flags, correlation, w.length());
        frame.limit(Header.LENGTH + w.length());
        try {
            harness.rules.router.onFrame(session, frame, 0, frame.limit());
        } catch (WireException e) {
            link.sendError(correlation, e.code(), e.getMessage()); // as TcpConnection.onFrame does
        }
        harness.settle();
        return correlation;
    }

    /** The answer to {@code correlation} if it has come (taken off the list), else null. */
    Answer answerTo(int correlation) {
        for (Frame f : answers) {
            if (f.correlation() == correlation) {
                answers.remove(f);
                if (f.opcode() == CoreOpcodes.ERROR) {
                    BodyReader r = f.reader();
                    return new Answer(r.u16(), r.string(ErrorBody.MAX_REASON_BYTES), new byte[0]);
                }
                return new Answer(0, null, f.body());
            }
        }
        return null;
    }

    Answer call(int opcode) {
        return call(opcode, w -> { });
    }

    /** Errors the registry sent about the connection itself (correlation id 0), oldest first. */
    Deque<Frame> connectionErrors() {
        Deque<Frame> out = new ArrayDeque<>();
        for (Frame f : answers) {
            if (f.correlation() == 0) {
                out.add(f);
            }
        }
        return out;
    }

    boolean isOpen() {
        return open;
    }

    long probeId() {
        return probeId;
    }

    Answer tryRegister(String name) {
        ScramCredentials k = DERIVED.computeIfAbsent("pw-" + name, p -> ScramCredentials.derive(p, SALT, 4096));
        return call(RegistryOpcodes.REGISTER, new RegisterRequest(name, k.salt(), k.iterations(), k.storedKey(), k.serverKey())::encode);
    }

    void register(String name) {
        Answer a = tryRegister(name);
        assertThat(a.ok()).as("register %s: %s", name, a).isTrue();
    }

    /** Runs the SCRAM exchange with password "pw-" + name. */
    void login(String name) {
        ScramClient scram = new ScramClient(name, "pw-" + name, ScramClient.newNonce(RANDOM));
        Answer start = call(RegistryOpcodes.LOGIN_START, new ScramText(scram.clientFirst())::encode);
        assertThat(start.ok()).as("LOGIN_START %s: %s", name, start).isTrue();
        String clientFinal;
        try {
            clientFinal = scram.clientFinal(ScramText.decode(start.body()).text());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        Answer finish = call(RegistryOpcodes.LOGIN_FINISH, new ScramText(clientFinal)::encode);
        assertThat(finish.ok()).as("LOGIN_FINISH %s: %s", name, finish).isTrue();
        LoginFinishReply reply = LoginFinishReply.decode(finish.body());
        try {
            scram.verifyServerFinal(reply.serverFinal());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        probeId = reply.probeId();
    }

    /** The peer closes its side: the registry sees the connection go. */
    void disconnect() {
        if (open) {
            open = false;
            harness.rules.router.onClosed(session);
        }
    }

    private final class CapturingLink implements Link {
        private final ByteBuffer scratch = ByteBuffer.allocate(64 * 1024 + Header.LENGTH);

        @Override
        public ByteBuffer scratch() {
            scratch.clear();
            return scratch;
        }

        @Override
        public void write(ByteBuffer frame) {
            if (!open) {
                frame.position(frame.limit());
                return;
            }
            int at = frame.position();
            Header h = new Header().wrap(frame, at);
            byte[] body = Arrays.copyOfRange(frame.array(), h.bodyOffset(), h.bodyOffset() + (int) h.bodyLength());
            Frame f = new Frame(h.opcode(), h.flags(), h.correlationId(), body);
            frame.position(frame.limit());
            if (f.isPush()) {
                pushes.add(f);
            } else {
                answers.add(f);
            }
        }

        @Override
        public void sendError(int correlation, int code, String reason) {
            ByteBuffer b = ByteBuffer.allocate(ErrorBody.MAX_REASON_BYTES + 64);
            b.limit(ErrorBody.encode(b, 0, new Header(), new BodyWriter(), correlation, code, reason));
            write(b);
        }

        @Override
        public void closeWithError(int correlation, int code, String reason) {
            if (!open) {
                return;
            }
            sendError(correlation, code, reason);
            open = false;
            harness.closing(HarnessClient.this);
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return address;
        }
    }
}
