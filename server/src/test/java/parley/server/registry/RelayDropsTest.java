package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.wire.Header;
import parley.server.protocol.RelayDatagram;
import parley.server.protocol.RelayGrant;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the relay refuses, over real UDP: a forged token, an inner datagram for another session,
 * and malformed datagrams (short, a lying length, a wrong inner opcode). Each is dropped, counted
 * under its reason, and the relay goes on forwarding for the real pair.
 */
class RelayDropsTest {
    @TempDir
    Path dir;

    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);

    /** Both sides have been heard from, so a valid datagram is forwarded at once. */
    private static RelayBed ready(RelayBed bed) throws Exception {
        bed.send(bed.amyUdp, RelayBed.wrap(bed.amyGrant, bed.seal(bed.amySessionKeys(), bed.bobSid, HELLO)));
        bed.awaitStats(s -> s.noPeerAddress() == 1);
        byte[] inner = bed.seal(bed.bobSessionKeys(), bed.amySid, HELLO);
        bed.send(bed.bobUdp, RelayBed.wrap(bed.bobGrant, inner));
        assertThat(RelayBed.receive(bed.amyUdp)).isEqualTo(inner);
        return bed;
    }

    /** The relay still forwards for the pair: amy to bob arrives. */
    private static void stillForwards(RelayBed bed) throws Exception {
        byte[] inner = bed.seal(bed.amySessionKeys(), bed.bobSid, HELLO);
        bed.send(bed.amyUdp, RelayBed.wrap(bed.amyGrant, inner));
        assertThat(RelayBed.receive(bed.bobUdp)).isEqualTo(inner);
    }

    @Test
    void aForgedTokenIsDroppedAndCounted() throws Exception {
        try (RelayBed bed = ready(new RelayBed(dir).introduce())) {
            RelayGrant forged = new RelayGrant(bed.amyGrant.tokenHi(), bed.amyGrant.tokenLo() ^ 1, "", 0);
            bed.send(bed.amyUdp, RelayBed.wrap(forged, bed.seal(bed.amySessionKeys(), bed.bobSid, HELLO)));
            RelayGrant random = new RelayGrant(42, 43, "", 0);
            bed.send(bed.amyUdp, RelayBed.wrap(random, bed.seal(bed.amySessionKeys(), bed.bobSid, HELLO)));
            bed.awaitStats(s -> s.unknownToken() == 2);
            stillForwards(bed);
            assertThat(bed.fx.server.relayStats().packets()).isEqualTo(2);
        }
    }

    @Test
    void anInnerDatagramForAnotherSessionIsDropped() throws Exception {
        try (RelayBed bed = ready(new RelayBed(dir).introduce())) {
            // amy's token, but addressed to amy's own session id, and to a stranger's.
            bed.send(bed.amyUdp, RelayBed.wrap(bed.amyGrant, bed.seal(bed.amySessionKeys(), bed.amySid, HELLO)));
            bed.send(bed.amyUdp, RelayBed.wrap(bed.amyGrant, bed.seal(bed.amySessionKeys(), 777L, HELLO)));
            bed.awaitStats(s -> s.wrongSession() == 2);
            stillForwards(bed);
        }
    }

    @Test
    void malformedDatagramsAreDroppedCountedAndNeverCrashTheLoop() throws Exception {
        try (RelayBed bed = ready(new RelayBed(dir).introduce())) {
            byte[] inner = bed.seal(bed.amySessionKeys(), bed.bobSid, HELLO);
            ByteBuffer good = RelayBed.wrap(bed.amyGrant, inner);
            int sent = 0;
            // Short: a header and part of a token.
            bed.send(bed.amyUdp, ByteBuffer.wrap(copy(good, Header.LENGTH + 4)));
            sent++;
            // Short: an inner datagram below the 36-byte minimum.
            bed.send(bed.amyUdp, ByteBuffer.wrap(withBodyLength(copy(good, RelayDatagram.INNER_OFFSET + 20))));
            sent++;
            // The envelope's length lies (one more than what came).
            byte[] lying = copy(good, good.remaining());
            ByteBuffer.wrap(lying).putInt(Header.BODY_LENGTH_OFFSET, lying.length - Header.LENGTH + 1);
            bed.send(bed.amyUdp, ByteBuffer.wrap(lying));
            sent++;
            // The inner length lies.
            byte[] innerLies = copy(good, good.remaining());
            ByteBuffer.wrap(innerLies).putInt(RelayDatagram.INNER_OFFSET + Header.BODY_LENGTH_OFFSET, 9999);
            bed.send(bed.amyUdp, ByteBuffer.wrap(innerLies));
            sent++;
            // The inner opcode is not a peer datagram's (a RELAY inside a RELAY, say).
            byte[] wrongOp = copy(good, good.remaining());
            wrongOp[RelayDatagram.INNER_OFFSET + Header.OPCODE_OFFSET] = 0x42;
            bed.send(bed.amyUdp, ByteBuffer.wrap(wrongOp));
            sent++;
            // PEER_DATA in the CONTROL class.
            byte[] wrongClass = copy(good, good.remaining());
            wrongClass[RelayDatagram.INNER_OFFSET + Header.CLASS_OFFSET] = 3;
            bed.send(bed.amyUdp, ByteBuffer.wrap(wrongClass));
            sent++;
            // Flags on the envelope.
            byte[] flags = copy(good, good.remaining());
            flags[Header.FLAGS_OFFSET] = 1;
            bed.send(bed.amyUdp, ByteBuffer.wrap(flags));
            sent++;
            int expected = sent;
            bed.awaitStats(s -> s.malformed() == expected);
            assertThat(bed.fx.server.relayStats().unknownToken()).as("malformed is decided before the token").isZero();
            stillForwards(bed);
        }
    }

    private static byte[] copy(ByteBuffer b, int n) {
        byte[] out = new byte[n];
        b.duplicate().get(out);
        return out;
    }

    private static byte[] withBodyLength(byte[] d) {
        ByteBuffer.wrap(d).putInt(Header.BODY_LENGTH_OFFSET, d.length - Header.LENGTH);
        return d;
    }
}
