package parley.server.registry;

import parley.core.udp.DatagramHandler;
import parley.core.udp.UdpChannel;
import parley.core.wire.BodyWriter;
import parley.core.wire.Flags;
import parley.core.wire.Header;
import parley.core.wire.MessageClass;
import parley.server.protocol.RegistryOpcodes;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The registry's UDP port. A peer sends UDP_PROBE with its session token; the registry records the
 * source address it sees (the peer's public side of any NAT) and answers with it. Datagrams that
 * are not a well-formed probe with a live token are dropped without an answer, so the port cannot
 * be used to reflect traffic at a forged source.
 */
final class ProbeHandler implements DatagramHandler {
    static final int PROBE_BODY = 16;
    private final Registry registry;
    private final Header header = new Header();
    private final BodyWriter writer = new BodyWriter();
    private final ByteBuffer reply = ByteBuffer.allocateDirect(128);
    private long dropped;

    ProbeHandler(Registry registry) {
        this.registry = registry;
    }

    @Override
    public void onDatagram(UdpChannel ch, InetSocketAddress from, ByteBuffer d) {
        int at = d.position();
        if (d.remaining() != Header.LENGTH + PROBE_BODY) {
            dropped++;
            return;
        }
        Header h = header.wrap(d, at);
        if (h.version() != Header.CURRENT_VERSION || h.messageClass() != MessageClass.CONTROL
                || h.opcode() != RegistryOpcodes.UDP_PROBE || h.bodyLength() != PROBE_BODY) {
            dropped++;
            return;
        }
        long hi = d.getLong(at + Header.LENGTH);
        long lo = d.getLong(at + Header.LENGTH + 8);
        int correlation = h.correlationId();
        if (!registry.observe(hi, lo, from)) {
            dropped++;
            return;
        }
        reply.clear();
        writer.wrap(reply, Header.LENGTH).string(from.getAddress().getHostAddress()).u16(from.getPort());
        header.wrap(reply, 0).set(MessageClass.CONTROL, RegistryOpcodes.UDP_PROBE, Flags.RESPONSE, correlation, writer.length());
        reply.limit(Header.LENGTH + writer.length());
        ch.send(reply, from);
    }

    long dropped() {
        return dropped;
    }
}
