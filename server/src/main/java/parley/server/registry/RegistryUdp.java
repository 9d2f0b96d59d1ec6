package parley.server.registry;

import parley.core.udp.DatagramHandler;
import parley.core.udp.UdpChannel;
import parley.core.wire.Header;
import parley.server.protocol.RegistryOpcodes;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The registry's one UDP port, shared by the probe (UDP_PROBE, PROBE_CONFIRM) and the relay
 * (RELAY): datagrams are told apart by their header's opcode byte, read in place. With the relay
 * off, RELAY datagrams go to the probe handler, which drops them as it drops anything unknown.
 */
final class RegistryUdp implements DatagramHandler {
    private final DatagramHandler probe;
    private final DatagramHandler relay;

    RegistryUdp(DatagramHandler probe, DatagramHandler relay) {
        this.probe = probe;
        this.relay = relay;
    }

    @Override
    public void onDatagram(UdpChannel ch, InetSocketAddress from, ByteBuffer d) {
        if (relay != null && d.remaining() >= Header.LENGTH
                && (d.get(d.position() + Header.OPCODE_OFFSET) & 0xFF) == RegistryOpcodes.RELAY) {
            relay.onDatagram(ch, from, d);
        } else {
            probe.onDatagram(ch, from, d);
        }
    }
}
