package parley.core.reliable;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import parley.core.crypto.PacketCipher;
import parley.core.crypto.SessionKeys;
import parley.core.crypto.X25519KeyPair;
import parley.core.loop.EventLoop;
import parley.core.vectors.Vectors;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The implementation against docs/vectors/peer-keys.json and datagrams.json, which a separate
 * program wrote from PROTOCOL.md section 9 alone: the key schedule, and the exact datagrams a
 * session sends (hello PING, one message, CLOSE) and accepts (all four frame types).
 */
class PeerVectorsTest {
    private static final String MESSAGE = "hello, bob";
    private final EventLoop loop = new EventLoop("vectors").start();

    @AfterEach
    void stop() {
        loop.close();
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(10, TimeUnit.SECONDS);
    }

    @Test
    void keyScheduleMatchesTheVectors() throws Exception {
        Vectors v = Vectors.load("peer-keys.json");
        X25519KeyPair a = X25519KeyPair.fromPrivate(v.hex("a_private"));
        X25519KeyPair b = X25519KeyPair.fromPrivate(v.hex("b_private"));
        assertThat(a.publicKey()).isEqualTo(v.hex("a_public"));
        assertThat(b.publicKey()).isEqualTo(v.hex("b_public"));
        assertThat(a.agree(b.publicKey())).isEqualTo(v.hex("shared_secret"));
        long aSid = v.number("a_session_id");
        long bSid = v.number("b_session_id");
        SessionKeys ka = SessionKeys.derive(a, aSid, b.publicKey(), bSid);
        SessionKeys kb = SessionKeys.derive(b, bSid, a.publicKey(), aSid);
        assertThat(v.text("lo_side")).isEqualTo("a");
        assertThat(ka.sendKey).isEqualTo(v.hex("lo_key"));
        assertThat(ka.sendIv).isEqualTo(v.hex("lo_iv"));
        assertThat(ka.receiveKey).isEqualTo(v.hex("hi_key"));
        assertThat(ka.receiveIv).isEqualTo(v.hex("hi_iv"));
        assertThat(kb.sendKey).isEqualTo(v.hex("hi_key"));
        assertThat(kb.receiveKey).isEqualTo(v.hex("lo_key"));
        assertThat(ka.gcmSendKey).isEqualTo(v.hex("lo_gcm_key")).isEqualTo(kb.gcmReceiveKey);
        assertThat(ka.gcmReceiveKey).isEqualTo(v.hex("hi_gcm_key")).isEqualTo(kb.gcmSendKey);
        assertThat(ka.fingerprint).isEqualTo(v.text("fingerprint")).isEqualTo(kb.fingerprint);
    }

    /** The lo side's endpoint, whose datagrams are recorded as hex instead of sent. */
    private PeerEndpoint recordingLo(BlockingQueue<String> sent, boolean offerGcm) throws Exception {
        return onLoop(() -> {
            ReliableConfig config = new ReliableConfig();
            config.offerGcm = offerGcm;
            PeerEndpoint e = PeerEndpoint.open(loop, new InetSocketAddress("127.0.0.1", 0), config);
            e.path(socket -> (datagram, to) -> {
                byte[] b = new byte[datagram.remaining()];
                datagram.duplicate().get(b);
                sent.add(HexFormat.of().formatHex(b));
                return true;
            });
            return e;
        });
    }

    /** A side that does not offer AES-256-GCM sends no SUITES: its hello, message and close are the vectors'. */
    @Test
    void aSessionSendsExactlyTheVectorDatagrams() throws Exception {
        Vectors keys = Vectors.load("peer-keys.json");
        Vectors d = Vectors.load("datagrams.json");
        BlockingQueue<String> sent = new LinkedBlockingQueue<>();
        InetSocketAddress nowhere = new InetSocketAddress("127.0.0.1", 9);
        PeerEndpoint lo = recordingLo(sent, false);
        PeerSession s = onLoop(() -> lo.openSession(keys.number("a_session_id"), keys.number("b_session_id"),
                X25519KeyPair.fromPrivate(keys.hex("a_private")), keys.hex("b_public"), nowhere, Listeners.NONE));
        assertThat(sent.poll(10, TimeUnit.SECONDS)).as("the hello").isEqualTo(d.text("ping.datagram"));
        onLoop(() -> s.send(ByteBuffer.wrap(MESSAGE.getBytes(StandardCharsets.UTF_8))));
        assertThat(sent.poll(10, TimeUnit.SECONDS)).as("the message").isEqualTo(d.text("stream.datagram"));
        onLoop(() -> {
            s.close();
            return null;
        });
        assertThat(sent.poll(10, TimeUnit.SECONDS)).as("the close").isEqualTo(d.text("close.datagram"));
        onLoop(() -> {
            lo.close();
            return null;
        });
    }

    /**
     * A side that offers AES-256-GCM (the default) sends the hello PING, then the SUITES vector
     * datagram exactly (mask 0x01, alone, ChaCha20-Poly1305, packet number 1); the frame is what
     * {@link SuitesFrame#write} makes.
     */
    @Test
    void anOfferingSessionSendsTheHelloThenExactlyTheSuitesVector() throws Exception {
        Vectors keys = Vectors.load("peer-keys.json");
        Vectors d = Vectors.load("datagrams.json");
        checkOpens(keys, d, "suites");
        assertThat(d.number("suites.flags")).isZero();
        ByteBuffer frame = ByteBuffer.allocate(Frames.SUITES_SIZE);
        SuitesFrame.write(frame, SuitesFrame.AES_256_GCM);
        assertThat(frame.array()).isEqualTo(d.hex("suites.frames"));
        BlockingQueue<String> sent = new LinkedBlockingQueue<>();
        PeerEndpoint lo = recordingLo(sent, true);
        onLoop(() -> lo.openSession(keys.number("a_session_id"), keys.number("b_session_id"),
                X25519KeyPair.fromPrivate(keys.hex("a_private")), keys.hex("b_public"),
                new InetSocketAddress("127.0.0.1", 9), Listeners.NONE));
        assertThat(sent.poll(10, TimeUnit.SECONDS)).as("the hello").isEqualTo(d.text("ping.datagram"));
        assertThat(sent.poll(10, TimeUnit.SECONDS)).as("the offer").isEqualTo(d.text("suites.datagram"));
        onLoop(() -> {
            lo.close();
            return null;
        });
    }

    /**
     * The AES-256-GCM vector (flags 0x01, sealed by Python's AESGCM under lo_gcm_key with lo_iv's
     * nonce): PacketCipher.gcm seals exactly it, and a side that offered opens it through its
     * endpoint and delivers the message (after the vectors' first message, which it follows on
     * the stream).
     */
    @Test
    void theGcmVectorIsWhatAesGcmSealsAndAnOfferingSessionTakesIt() throws Exception {
        Vectors keys = Vectors.load("peer-keys.json");
        Vectors d = Vectors.load("datagrams.json");
        byte[] datagram = d.hex("gcm_stream.datagram");
        assertThat(d.number("gcm_stream.flags")).isEqualTo(PeerPacket.FLAGS_GCM);
        assertThat(datagram[3]).isEqualTo((byte) PeerPacket.FLAGS_GCM);
        ByteBuffer out = ByteBuffer.allocate(datagram.length);
        out.put(datagram, 0, PeerPacket.AAD_LENGTH);
        PacketCipher.gcm(keys.hex("lo_gcm_key"), keys.hex("lo_iv")).seal(d.number("gcm_stream.packet_number"),
                ByteBuffer.wrap(datagram, 0, PeerPacket.AAD_LENGTH), ByteBuffer.wrap(d.hex("gcm_stream.frames")), out);
        assertThat(out.array()).isEqualTo(datagram);

        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        SessionListener listener = new Listeners() {
            @Override
            public void onMessage(ByteBuffer message) {
                received.add(StandardCharsets.UTF_8.decode(message).toString());
            }
        };
        PeerEndpoint hi = receivingHi(keys, listener);
        feed(hi, d, "stream", "gcm_stream");
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(MESSAGE);
        assertThat(received.poll(10, TimeUnit.SECONDS)).as("the GCM-sealed one").isEqualTo(MESSAGE);
        PeerSession s = onLoop(() -> hi.session(keys.number("b_session_id")));
        assertThat(onLoop(hi::malformedDrops)).isZero();
        assertThat(onLoop(hi::authFailures)).isZero();
        assertThat(onLoop(s::gcmPacketsReceived)).isEqualTo(1);
        onLoop(() -> {
            hi.close();
            return null;
        });
    }

    @Test
    void aSessionAcceptsEveryVectorDatagram() throws Exception {
        Vectors keys = Vectors.load("peer-keys.json");
        Vectors d = Vectors.load("datagrams.json");
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        CompletableFuture<String> dead = new CompletableFuture<>();
        SessionListener listener = new Listeners() {
            @Override
            public void onMessage(ByteBuffer message) {
                received.add(StandardCharsets.UTF_8.decode(message).toString());
            }

            @Override
            public void onDead(String reason) {
                dead.complete(reason);
            }
        };
        PeerEndpoint hi = receivingHi(keys, listener);
        for (String frame : new String[] {"ping", "stream", "ack"}) {
            checkOpens(keys, d, frame);
        }
        feed(hi, d, "ping", "stream", "ack");
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(MESSAGE);
        assertThat(onLoop(hi::authFailures)).isZero();
        assertThat(onLoop(hi::malformedDrops)).isZero();
        assertThat(onLoop(() -> hi.session(keys.number("b_session_id")).reliable().counters().packetsReceived())).isEqualTo(3);
        checkOpens(keys, d, "close");
        feed(hi, d, "close");
        assertThat(dead.get(10, TimeUnit.SECONDS)).isEqualTo("closed by peer");
        onLoop(() -> {
            hi.close();
            return null;
        });
    }

    /**
     * Every frame type of section 9.3 has a sealed datagram in the vectors, and each opens to
     * exactly its frames, which are well formed and begin with that type.
     */
    @Test
    void everyFrameTypeHasAVectorDatagram() throws Exception {
        Vectors keys = Vectors.load("peer-keys.json");
        Vectors d = Vectors.load("datagrams.json");
        String[] names = {"stream", "ack", "ping", "close", "reject", "path_challenge", "path_response", "bulk", "suites"};
        int[] types = {Frames.STREAM, Frames.ACK, Frames.PING, Frames.CLOSE, Frames.REJECT,
                Frames.PATH_CHALLENGE, Frames.PATH_RESPONSE, Frames.BULK, Frames.SUITES};
        for (int i = 0; i < names.length; i++) {
            checkOpens(keys, d, names[i]);
            assertThat(d.hex(names[i] + ".frames")[0] & 0xFF).as(names[i]).isEqualTo(types[i]);
        }
    }

    /**
     * The path-MTU probe of section 9.8: 1,452 bytes, opening to a PING and a PADDING frame of
     * zeros, exactly the frames the Java writer makes for that size.
     */
    @Test
    void theMtuProbeVectorIsThePaddedPingTheWriterMakes() throws Exception {
        Vectors keys = Vectors.load("peer-keys.json");
        Vectors d = Vectors.load("datagrams.json");
        checkOpens(keys, d, "mtu_probe");
        byte[] datagram = d.hex("mtu_probe.datagram");
        assertThat(datagram).hasSize(1452);
        ByteBuffer out = ByteBuffer.allocate(2000);
        out.put(100, (byte) 0x5A); // a reused buffer: the writer must write the zeros
        Frames.writePing(out);
        Frames.writePadding(out, datagram.length - PeerPacket.OVERHEAD);
        byte[] frames = java.util.Arrays.copyOf(out.array(), out.position());
        assertThat(frames).isEqualTo(d.hex("mtu_probe.frames"));
    }

    /**
     * Stream 1 (section 9.9): the BULK and BULK_WINDOW vectors open to exactly the frames the Java
     * writers make, and a session delivers the BULK message (as a stream 1 message) and takes the
     * ACK and BULK_WINDOW without complaint.
     */
    @Test
    void theBulkVectorsAreWhatTheWritersMakeAndASessionTakesThem() throws Exception {
        Vectors keys = Vectors.load("peer-keys.json");
        Vectors d = Vectors.load("datagrams.json");
        checkOpens(keys, d, "bulk");
        checkOpens(keys, d, "bulk_window");
        ByteBuffer bulk = ByteBuffer.allocate(64);
        Frames.writeDataHeader(bulk, Frames.BULK, 0, 8);
        bulk.putInt(4).put("file".getBytes(StandardCharsets.US_ASCII));
        assertThat(java.util.Arrays.copyOf(bulk.array(), bulk.position())).isEqualTo(d.hex("bulk.frames"));
        byte[] ackThenWindow = d.hex("bulk_window.frames");
        byte[] ack = d.hex("ack.frames");
        assertThat(java.util.Arrays.copyOf(ackThenWindow, ack.length)).isEqualTo(ack);
        ByteBuffer window = ByteBuffer.allocate(Frames.BULK_WINDOW_SIZE);
        Frames.writeBulkWindow(window, 8, 8 + 4 * 1024 * 1024);
        assertThat(java.util.Arrays.copyOfRange(ackThenWindow, ack.length, ackThenWindow.length)).isEqualTo(window.array());

        BlockingQueue<String> bulkReceived = new LinkedBlockingQueue<>();
        SessionListener listener = new Listeners() {
            @Override
            public void onMessage(ByteBuffer message) {
                throw new AssertionError("a stream 0 message");
            }

            @Override
            public void onBulkMessage(ByteBuffer message) {
                bulkReceived.add(StandardCharsets.UTF_8.decode(message).toString());
            }
        };
        PeerEndpoint hi = receivingHi(keys, listener);
        feed(hi, d, "bulk", "bulk_window");
        assertThat(bulkReceived.poll(10, TimeUnit.SECONDS)).isEqualTo("file");
        assertThat(onLoop(hi::malformedDrops)).isZero();
        assertThat(onLoop(() -> hi.session(keys.number("b_session_id")).reliable().counters().packetsReceived())).isEqualTo(2);
        assertThat(onLoop(() -> hi.session(keys.number("b_session_id")).isOpen())).isTrue();
        onLoop(() -> {
            hi.close();
            return null;
        });
    }

    /**
     * The hi side's endpoint (offering AES-256-GCM, the default) with the session of
     * peer-keys.json open: it only receives, nothing it sends leaves.
     */
    private PeerEndpoint receivingHi(Vectors keys, SessionListener listener) throws Exception {
        return onLoop(() -> {
            PeerEndpoint e = PeerEndpoint.open(loop, new InetSocketAddress("127.0.0.1", 0), new ReliableConfig());
            e.path(socket -> (datagram, to) -> true);
            e.openSession(keys.number("b_session_id"), keys.number("a_session_id"),
                    X25519KeyPair.fromPrivate(keys.hex("b_private")), keys.hex("a_public"),
                    new InetSocketAddress("127.0.0.1", 9), listener);
            return e;
        });
    }

    /** Hands the named vector datagrams to {@code hi}'s endpoint, in order, as if from the socket. */
    private void feed(PeerEndpoint hi, Vectors d, String... frames) throws Exception {
        InetSocketAddress from = new InetSocketAddress("127.0.0.1", 9);
        for (String frame : frames) {
            ByteBuffer datagram = ByteBuffer.wrap(d.hex(frame + ".datagram"));
            onLoop(() -> {
                hi.onDatagram(hi.channel(), from, datagram);
                return null;
            });
        }
    }

    /**
     * The datagram opens with the receiving direction's key (ChaCha20-Poly1305 or AES-256-GCM, as
     * its flags byte says) to exactly the vector's frames, which are well formed.
     */
    private static void checkOpens(Vectors keys, Vectors d, String frame) {
        byte[] datagram = d.hex(frame + ".datagram");
        assertThat((long) (datagram[3] & 0xFF)).as(frame + " flags").isEqualTo(d.number(frame + ".flags"));
        PacketCipher opener = datagram[3] == PeerPacket.FLAGS_GCM ? PacketCipher.gcm(keys.hex("lo_gcm_key"), keys.hex("lo_iv"))
                : PacketCipher.opener(keys.hex("lo_key"), keys.hex("lo_iv"));
        ByteBuffer aad = ByteBuffer.wrap(datagram, 0, PeerPacket.AAD_LENGTH);
        ByteBuffer sealed = ByteBuffer.wrap(datagram, PeerPacket.AAD_LENGTH, datagram.length - PeerPacket.AAD_LENGTH);
        ByteBuffer plain = ByteBuffer.allocate(datagram.length);
        assertThat(opener.open(d.number(frame + ".packet_number"), aad, sealed, plain)).as(frame + " authenticates").isTrue();
        plain.flip();
        byte[] frames = new byte[plain.remaining()];
        plain.duplicate().get(frames);
        assertThat(frames).isEqualTo(d.hex(frame + ".frames"));
        assertThat(Frames.valid(plain)).isTrue();
        assertThat(ByteBuffer.wrap(datagram).getLong(PeerPacket.SESSION_ID_OFFSET)).isEqualTo(d.number("destination_session_id"));
    }

    /** A listener that ignores everything; tests override what they watch. */
    private static class Listeners implements SessionListener {
        static final Listeners NONE = new Listeners();

        @Override
        public void onMessage(ByteBuffer message) {
        }

        @Override
        public void onDelivered(long messageId) {
        }

        @Override
        public void onFailed(long messageId, String reason) {
        }

        @Override
        public void onDead(String reason) {
        }
    }
}
