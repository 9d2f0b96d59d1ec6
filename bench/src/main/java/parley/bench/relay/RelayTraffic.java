package parley.bench.relay;

import parley.core.reliable.PeerPacket;
import parley.server.protocol.RelayDatagram;

import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The datagrams the relay benchmarks forward: a RELAY envelope around a peer datagram of the
 * given size, whose clear header is what a session writes (the sealed part is random bytes: the
 * relay never looks at it, and cannot).
 */
final class RelayTraffic {
    private RelayTraffic() {
    }

    /** A RELAY datagram with token (hi, lo) carrying an inner peer datagram of {@code inner} bytes to {@code destSid}. */
    static ByteBuffer datagram(long hi, long lo, long destSid, int inner, boolean direct) {
        if (inner < RelayDatagram.MIN_INNER || inner > RelayDatagram.MAX_INNER) {
            throw new IllegalArgumentException("inner datagram must be " + RelayDatagram.MIN_INNER + ".." + RelayDatagram.MAX_INNER);
        }
        int n = RelayDatagram.INNER_OFFSET + inner;
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n);
        byte[] noise = new byte[inner];
        ThreadLocalRandom.current().nextBytes(noise);
        b.position(RelayDatagram.INNER_OFFSET);
        b.put(noise);
        new PeerPacket().wrap(b, RelayDatagram.INNER_OFFSET).writePrefix(true, 1, destSid, inner - PeerPacket.AAD_LENGTH);
        RelayDatagram.writeHeader(b, 0, hi, lo, inner);
        return b.clear();
    }
}
