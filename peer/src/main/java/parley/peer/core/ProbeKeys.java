package parley.peer.core;

import parley.core.wire.BodyWriter;
import parley.core.wire.Header;
import parley.core.wire.MessageClass;
import parley.server.protocol.ProbeConfirm;
import parley.server.protocol.ProbeMac;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.UdpProbe;

import java.nio.ByteBuffer;

/**
 * This login's probe id and key (from LOGIN_FINISH) and the counter its UDP_PROBE and PROBE_CONFIRM
 * datagrams share (docs/PROTOCOL.md section 7.2). The registry accepts each counter once and only
 * rising, so every datagram takes the next one; a new login starts again at 1 with its new key.
 * Loop thread only; writes datagrams into the caller's buffers without allocating.
 */
final class ProbeKeys {
    private final Header header = new Header();
    private final BodyWriter writer = new BodyWriter();
    private final ProbeMac mac = new ProbeMac();
    private long probeId;
    private byte[] key;
    private long counter;

    /** A fresh login: its id and key; the counter starts over. */
    void reset(long probeId, byte[] key) {
        this.probeId = probeId;
        this.key = key.clone();
        this.counter = 0;
    }

    boolean ready() {
        return key != null;
    }

    /** Writes a whole UDP_PROBE into {@code d} (from 0) and flips it for sending. */
    void writeProbe(ByteBuffer d, int correlation) {
        d.clear();
        header.wrap(d, 0).set(MessageClass.CONTROL, RegistryOpcodes.UDP_PROBE, 0, correlation, UdpProbe.BODY_BYTES);
        UdpProbe.write(writer.wrap(d, Header.LENGTH), probeId, ++counter);
        mac.seal(key, d, 0, UdpProbe.MAC_AT);
        d.limit(Header.LENGTH + UdpProbe.BODY_BYTES).position(0);
    }

    /** Writes a whole PROBE_CONFIRM echoing the challenge into {@code d} (from 0) and flips it. */
    void writeConfirm(ByteBuffer d, int correlation, long challengeHi, long challengeLo) {
        d.clear();
        header.wrap(d, 0).set(MessageClass.CONTROL, RegistryOpcodes.PROBE_CONFIRM, 0, correlation, ProbeConfirm.BODY_BYTES);
        ProbeConfirm.write(writer.wrap(d, Header.LENGTH), probeId, ++counter, challengeHi, challengeLo);
        mac.seal(key, d, 0, ProbeConfirm.MAC_AT);
        d.limit(Header.LENGTH + ProbeConfirm.BODY_BYTES).position(0);
    }
}
