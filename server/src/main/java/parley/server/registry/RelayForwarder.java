package parley.server.registry;

import parley.core.reliable.DatagramPath;
import parley.core.reliable.PeerPacket;
import parley.core.udp.DatagramHandler;
import parley.core.udp.UdpChannel;
import parley.core.wire.Header;
import parley.core.wire.MessageClass;
import parley.server.protocol.RelayDatagram;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The relay's per-datagram path (PROTOCOL.md 7.8): checks a RELAY datagram in the order the spec
 * gives, then sends its inner peer datagram, unchanged, to the other side of the token's pair.
 * The inner bytes are sent straight out of the channel's direct receive buffer (its position and
 * limit moved onto them), so forwarding copies nothing and allocates nothing: no key, no parse
 * beyond the clear header, no object per datagram. Every drop is counted by reason and answered
 * with silence. Loop thread only.
 */
final class RelayForwarder implements DatagramHandler {
    private final Relays relays;
    private final Timers timers;
    private final RelayMetrics m;
    private DatagramPath out;

    RelayForwarder(Relays relays, Timers timers) {
        this.relays = relays;
        this.timers = timers;
        this.m = relays.metrics;
    }

    @Override
    public void onDatagram(UdpChannel ch, InetSocketAddress from, ByteBuffer d) {
        if (out == null) {
            out = ch::send; // made once: the port's one channel
        }
        forward(d, from, out);
    }

    /** The per-datagram path: {@code d} (position to limit) from {@code from}; what passes goes out through {@code out}. */
    void forward(ByteBuffer d, InetSocketAddress from, DatagramPath out) {
        int at = d.position();
        int length = d.remaining();
        if (!RelayDatagram.wellFormed(d, at, length)) {
            m.malformed++;
            return;
        }
        int inner = at + RelayDatagram.INNER_OFFSET;
        int n = length - RelayDatagram.INNER_OFFSET;
        if (!innerWellFormed(d, inner, n)) {
            m.malformed++;
            return;
        }
        RelaySide side = relays.byToken(RelayDatagram.tokenHi(d, at), RelayDatagram.tokenLo(d, at));
        if (side == null) {
            m.unknownToken++;
            return;
        }
        RelaySide to = side.other;
        if (d.getLong(inner + PeerPacket.SESSION_ID_OFFSET) != to.sessionId) {
            m.wrongSession++;
            return;
        }
        if (side.address == null || !side.address.equals(from)) {
            side.address = from; // the JDK's object for this source: kept, not copied
        }
        long now = timers.nanoTime();
        RelayPair pair = side.pair;
        if (!pair.admit(side.account, n, now)) {
            m.overQuota++;
            return;
        }
        if (to.address == null) {
            m.noPeerAddress++;
            return;
        }
        pair.lastForwardNanos = now;
        d.limit(inner + n).position(inner);
        if (out.send(d, to.address)) {
            m.packets++;
            m.bytes += n;
        } else {
            m.sendFailed++;
        }
    }

    /**
     * The inner datagram's clear header, as a peer would check it before decrypting: version 1,
     * PEER_DATA in class DATA or PEER_CONTROL in class CONTROL, no flags, a body length that is
     * the rest of it. Its size bounds were checked with the envelope.
     */
    static boolean innerWellFormed(ByteBuffer d, int inner, int n) {
        if (d.get(inner + Header.VERSION_OFFSET) != Header.CURRENT_VERSION || d.get(inner + Header.FLAGS_OFFSET) != 0
                || d.getInt(inner + Header.BODY_LENGTH_OFFSET) != n - Header.LENGTH) {
            return false;
        }
        int op = d.get(inner + Header.OPCODE_OFFSET) & 0xFF;
        int cls = d.get(inner + Header.CLASS_OFFSET);
        return op == PeerPacket.PEER_DATA && cls == MessageClass.DATA
                || op == PeerPacket.PEER_CONTROL && cls == MessageClass.CONTROL;
    }
}
