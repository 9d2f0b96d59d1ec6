package parley.server.registry;

import parley.core.crypto.PacketCipher;
import parley.core.crypto.SessionKeys;
import parley.core.crypto.X25519KeyPair;
import parley.core.loop.NanoClock;
import parley.core.reliable.PeerPacket;
import parley.server.protocol.PeerAnswer;
import parley.server.protocol.PeerAnswerReply;
import parley.server.protocol.PeerConnect;
import parley.server.protocol.PeerIntroduction;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.RelayDatagram;
import parley.server.protocol.RelayGrant;
import parley.server.protocol.client.SyncRegistryClient;
import parley.server.protocol.client.SyncRegistryClient.Answer;

import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A registry with its relay on loopback, two logged-in contacts (amy asks, bob answers) and the
 * introduction that gives each a relay grant, plus one raw UDP socket per side and the session
 * keys both derived, so tests can seal real peer datagrams (nio-core's {@link SessionKeys} and
 * {@link PacketCipher}, as a session does) and send them through the relay.
 */
final class RelayBed implements AutoCloseable {
    final ServerFixture fx;
    final SyncRegistryClient amy;
    final SyncRegistryClient bob;
    final DatagramChannel amyUdp;
    final DatagramChannel bobUdp;
    final X25519KeyPair amyKeys = X25519KeyPair.generate();
    final X25519KeyPair bobKeys = X25519KeyPair.generate();
    long amySid = 0x1111_2222_3333_4444L;
    long bobSid = 0x5555_6666_7777_8888L;
    RelayGrant amyGrant;
    RelayGrant bobGrant;
    private long packetNumber;

    RelayBed(Path dir, RegistryConfig config, NanoClock clock) throws Exception {
        fx = new ServerFixture(dir, ServerFixture.manyUsers(config), clock);
        amy = fx.user("amy");
        bob = fx.user("bob");
        Users.makeContacts(amy, "amy", bob, "bob");
        assertThat(amy.call(RegistryOpcodes.ANNOUNCE_ENDPOINT, w -> w.string("127.0.0.1").u16(7001)).ok()).isTrue();
        assertThat(bob.call(RegistryOpcodes.ANNOUNCE_ENDPOINT, w -> w.string("127.0.0.1").u16(7002)).ok()).isTrue();
        amyUdp = socket();
        bobUdp = socket();
    }

    RelayBed(Path dir) throws Exception {
        this(dir, new RegistryConfig(), NanoClock.SYSTEM);
    }

    private static DatagramChannel socket() throws Exception {
        DatagramChannel ch = DatagramChannel.open();
        ch.bind(new InetSocketAddress("127.0.0.1", 0));
        ch.socket().setSoTimeout(10_000);
        return ch;
    }

    InetSocketAddress relay() {
        return fx.server.udpAddress();
    }

    /** amy asks bob, bob accepts: both grants (either may be null when the relay gave none). */
    RelayBed introduce() throws Exception {
        int invite = connect();
        Answer answer = bob.call(RegistryOpcodes.PEER_ANSWER,
                new PeerAnswer(invite, PeerAnswer.ACCEPT, bobSid, bobKeys.publicKey())::encode);
        assertThat(answer.ok()).as("PEER_ANSWER: %s", answer).isTrue();
        bobGrant = PeerAnswerReply.decode(answer.body()).relay();
        SyncRegistryClient.Push ready = amy.awaitPush(RegistryOpcodes.PEER_READY, 10, TimeUnit.SECONDS);
        assertThat(ready).as("PEER_READY").isNotNull();
        amyGrant = PeerIntroduction.decodeReady(ready.body()).relay();
        return this;
    }

    /** amy's PEER_CONNECT to bob; returns the invite id once bob has the invite. */
    int connect() throws Exception {
        Answer c = amy.call(RegistryOpcodes.PEER_CONNECT, new PeerConnect("bob", amySid, amyKeys.publicKey())::encode);
        assertThat(c.ok()).as("PEER_CONNECT: %s", c).isTrue();
        assertThat(bob.awaitPush(RegistryOpcodes.PEER_INVITE, 10, TimeUnit.SECONDS)).isNotNull();
        return c.body().i32();
    }

    SessionKeys amySessionKeys() {
        return SessionKeys.derive(amyKeys, amySid, bobKeys.publicKey(), bobSid);
    }

    SessionKeys bobSessionKeys() {
        return SessionKeys.derive(bobKeys, bobSid, amyKeys.publicKey(), amySid);
    }

    /** A real sealed PEER_DATA datagram to {@code destSid}: {@code plaintext} as its frames, sealed with {@code keys}. */
    byte[] seal(SessionKeys keys, long destSid, byte[] plaintext) {
        long pn = packetNumber++;
        ByteBuffer out = ByteBuffer.allocate(PeerPacket.OVERHEAD + plaintext.length);
        new PeerPacket().wrap(out, 0).writePrefix(true, pn, destSid, plaintext.length + PacketCipher.TAG_LENGTH);
        ByteBuffer aad = out.duplicate().position(0).limit(PeerPacket.AAD_LENGTH);
        out.position(PeerPacket.SEALED_OFFSET);
        PacketCipher.sealer(keys.sendKey, keys.sendIv).seal(pn, aad, ByteBuffer.wrap(plaintext), out);
        return out.array();
    }

    /** Opens a datagram sealed for the holder of {@code keys}; null if it does not authenticate. */
    static byte[] open(SessionKeys keys, byte[] datagram) {
        ByteBuffer d = ByteBuffer.wrap(datagram);
        long pn = new PeerPacket().wrap(d, 0).packetNumber();
        ByteBuffer aad = d.duplicate().position(0).limit(PeerPacket.AAD_LENGTH);
        ByteBuffer sealed = d.duplicate().position(PeerPacket.SEALED_OFFSET);
        ByteBuffer out = ByteBuffer.allocate(datagram.length);
        if (!PacketCipher.opener(keys.receiveKey, keys.receiveIv).open(pn, aad, sealed, out)) {
            return null;
        }
        byte[] plain = new byte[out.flip().remaining()];
        out.get(plain);
        return plain;
    }

    /** {@code inner} wrapped in a RELAY envelope with {@code grant}'s token. */
    static ByteBuffer wrap(RelayGrant grant, byte[] inner) {
        ByteBuffer b = ByteBuffer.allocate(RelayDatagram.INNER_OFFSET + inner.length);
        RelayDatagram.writeHeader(b, 0, grant.tokenHi(), grant.tokenLo(), inner.length);
        b.position(RelayDatagram.INNER_OFFSET);
        b.put(inner);
        return b.flip();
    }

    void send(DatagramChannel from, ByteBuffer datagram) throws Exception {
        from.send(datagram, relay());
    }

    /** The next datagram on {@code ch} (blocking up to 10 s), or null on timeout. */
    static byte[] receive(DatagramChannel ch) throws Exception {
        byte[] buf = new byte[2048];
        java.net.DatagramPacket p = new java.net.DatagramPacket(buf, buf.length);
        try {
            ch.socket().receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return java.util.Arrays.copyOf(buf, p.getLength());
    }

    /** Polls the relay's counters until {@code done} holds (up to 10 s); a datagram's effect is seen, not waited for by time. */
    RelayStats awaitStats(Predicate<RelayStats> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        RelayStats s = fx.server.relayStats();
        while (!done.test(s) && System.nanoTime() < deadline) {
            Thread.sleep(5);
            s = fx.server.relayStats();
        }
        assertThat(done.test(s)).as("relay stats reached the expected state: %s", s).isTrue();
        return s;
    }

    @Override
    public void close() throws Exception {
        amyUdp.close();
        bobUdp.close();
        fx.close();
    }
}
