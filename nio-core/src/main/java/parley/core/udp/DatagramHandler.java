package parley.core.udp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** Callbacks for a {@link UdpChannel}, on the loop thread. */
public interface DatagramHandler {
    /**
     * One datagram, from position to limit. The buffer is the channel's reused receive buffer:
     * the bytes are only valid during the call.
     */
    void onDatagram(UdpChannel channel, InetSocketAddress from, ByteBuffer datagram);

    /** An earlier {@link UdpChannel#send} found the socket buffer full; there is room again. */
    default void onWritable(UdpChannel channel) {
    }
}
