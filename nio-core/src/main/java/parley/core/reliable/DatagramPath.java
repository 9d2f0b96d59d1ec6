package parley.core.reliable;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** Where sealed datagrams go: the socket, or a fault injector in front of it. */
@FunctionalInterface
public interface DatagramPath {
    /** Sends position to limit; false if the socket had no room (nothing was sent). */
    boolean send(ByteBuffer datagram, InetSocketAddress to);
}
