package parley.server.registry;

import parley.core.wire.Header;
import parley.core.wire.MessageClass;
import parley.server.protocol.ProbeConfirm;
import parley.server.protocol.ProbeMac;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.UdpProbe;

import java.nio.ByteBuffer;

/** A test client's probe id, key and counter from LOGIN_FINISH: builds UDP_PROBE and PROBE_CONFIRM datagrams. */
final class ProbeSender {
    final long probeId;
    final byte[] key;
    private final ProbeMac mac = new ProbeMac();
    private long counter;

    ProbeSender(long probeId, byte[] key) {
        this.probeId = probeId;
        this.key = key;
    }

    /** The next UDP_PROBE, with a fresh counter. */
    synchronized ByteBuffer probe() {
        return probe(++counter);
    }

    /** A UDP_PROBE with the given counter (a test may reuse one to replay). */
    synchronized ByteBuffer probe(long withCounter) {
        ByteBuffer d = ByteBuffer.allocate(Header.LENGTH + UdpProbe.BODY_BYTES);
        new Header().wrap(d, 0).set(MessageClass.CONTROL, RegistryOpcodes.UDP_PROBE, 0, 42, UdpProbe.BODY_BYTES);
        d.putLong(Header.LENGTH, probeId).putLong(Header.LENGTH + 8, withCounter);
        mac.seal(key, d, 0, UdpProbe.MAC_AT);
        return d;
    }

    /** The next PROBE_CONFIRM echoing the challenge. */
    synchronized ByteBuffer confirm(long challengeHi, long challengeLo) {
        ByteBuffer d = ByteBuffer.allocate(Header.LENGTH + ProbeConfirm.BODY_BYTES);
        new Header().wrap(d, 0).set(MessageClass.CONTROL, RegistryOpcodes.PROBE_CONFIRM, 0, 43, ProbeConfirm.BODY_BYTES);
        d.putLong(Header.LENGTH, probeId).putLong(Header.LENGTH + 8, ++counter)
                .putLong(Header.LENGTH + 16, challengeHi).putLong(Header.LENGTH + 24, challengeLo);
        mac.seal(key, d, 0, ProbeConfirm.MAC_AT);
        return d;
    }
}
