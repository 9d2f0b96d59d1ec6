package parley.peer.core;

import parley.core.wire.Flags;
import parley.core.wire.Header;
import parley.core.wire.MessageClass;
import parley.server.protocol.RegistryOpcodes;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Answers the registry's PROBE_CHALLENGE (docs/PROTOCOL.md section 7.2): the registry makes our
 * probe's source address our observed endpoint only once we echo its random challenge, with our
 * session token, from that same socket. Datagrams that are not a well-formed challenge from the
 * registry's UDP address are ignored. Loop thread only; allocates nothing per datagram.
 */
final class ProbeResponder {
    private static final int TOKEN_BYTES = 16;
    private static final int CHALLENGE_BYTES = 16;
    private static final int CONFIRM_BODY = TOKEN_BYTES + CHALLENGE_BYTES;

    private final PeerConfig config;
    private final RegistryLink link;
    private final RegistryLink.Owner owner;
    private final Header header = new Header();
    private final ByteBuffer confirm = ByteBuffer.allocate(Header.LENGTH + CONFIRM_BODY);
    private int nextCorrelation = 1;

    ProbeResponder(PeerConfig config, RegistryLink link, RegistryLink.Owner owner) {
        this.config = config;
        this.link = link;
        this.owner = owner;
    }

    /** A datagram on our UDP socket that belongs to no peer session. */
    void onDatagram(InetSocketAddress from, ByteBuffer d) {
        int at = d.position();
        if (d.remaining() != Header.LENGTH + CHALLENGE_BYTES || !from.equals(config.registryUdp())) {
            return;
        }
        Header h = header.wrap(d, at);
        if (h.version() != Header.CURRENT_VERSION || h.messageClass() != MessageClass.CONTROL
                || h.opcode() != RegistryOpcodes.PROBE_CHALLENGE || h.flags() != Flags.RESPONSE
                || h.bodyLength() != CHALLENGE_BYTES || !link.loggedIn()) {
            return;
        }
        long challengeHi = d.getLong(at + Header.LENGTH);
        long challengeLo = d.getLong(at + Header.LENGTH + 8);
        confirm.clear();
        confirm.putLong(Header.LENGTH, link.tokenHi()).putLong(Header.LENGTH + 8, link.tokenLo())
                .putLong(Header.LENGTH + TOKEN_BYTES, challengeHi).putLong(Header.LENGTH + TOKEN_BYTES + 8, challengeLo);
        header.wrap(confirm, 0).set(MessageClass.CONTROL, RegistryOpcodes.PROBE_CONFIRM, 0, nextCorrelation++, CONFIRM_BODY);
        confirm.limit(Header.LENGTH + CONFIRM_BODY).position(0);
        owner.sendProbe(confirm, config.registryUdp());
    }
}
