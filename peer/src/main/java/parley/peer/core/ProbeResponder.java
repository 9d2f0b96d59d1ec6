package parley.peer.core;

import parley.core.wire.Flags;
import parley.core.wire.Header;
import parley.core.wire.MessageClass;
import parley.server.protocol.Limits;
import parley.server.protocol.ProbeChallenge;
import parley.server.protocol.ProbeConfirm;
import parley.server.protocol.RegistryOpcodes;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Answers the registry's PROBE_CHALLENGE (docs/PROTOCOL.md section 7.2): the registry makes our
 * probe's source address our observed endpoint only once we echo its random challenge, in a
 * PROBE_CONFIRM made with this login's probe key ({@link ProbeKeys}), from that same socket. Datagrams that are not a well-formed challenge from the
 * registry's UDP address are ignored. Loop thread only; allocates nothing per datagram.
 */
final class ProbeResponder {

    private final PeerConfig config;
    private final RegistryLink link;
    private final RegistryLink.Owner owner;
    private final Header header = new Header();
    private final ByteBuffer confirm = ByteBuffer.allocate(Header.LENGTH + ProbeConfirm.BODY_BYTES);
    private int nextCorrelation = 1;

    ProbeResponder(PeerConfig config, RegistryLink link, RegistryLink.Owner owner) {
        this.config = config;
        this.link = link;
        this.owner = owner;
    }

    /** A datagram on our UDP socket that belongs to no peer session. */
    void onDatagram(InetSocketAddress from, ByteBuffer d) {
        int at = d.position();
        if (d.remaining() != Header.LENGTH + Limits.CHALLENGE_BYTES || !from.equals(config.registryUdp())) {
            return;
        }
        Header h = header.wrap(d, at);
        if (h.version() != Header.CURRENT_VERSION || h.messageClass() != MessageClass.CONTROL
                || h.opcode() != RegistryOpcodes.PROBE_CHALLENGE || h.flags() != Flags.RESPONSE
                || h.bodyLength() != Limits.CHALLENGE_BYTES || !link.loggedIn()) {
            return;
        }
        long challengeHi = ProbeChallenge.hi(d, at + Header.LENGTH);
        long challengeLo = ProbeChallenge.lo(d, at + Header.LENGTH);
        link.probeKeys().writeConfirm(confirm, nextCorrelation++, challengeHi, challengeLo);
        owner.sendProbe(confirm, config.registryUdp());
    }
}
