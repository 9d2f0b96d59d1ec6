package parley.server.registry;

import parley.core.tcp.CloseReason;
import parley.core.tcp.ConnectionHandler;
import parley.core.tcp.TcpConnection;

import java.nio.ByteBuffer;

/**
 * The event loop's handler of one registry connection: hands each frame and the close to the
 * {@link RequestRouter}. A {@link parley.core.wire.WireException} it throws is answered by the
 * connection itself and the connection stays usable. One instance per connection, holding only
 * its session.
 */
final class RegistryHandler implements ConnectionHandler {
    private final RequestRouter router;
    private final Session session;

    RegistryHandler(RequestRouter router, Session session) {
        this.router = router;
        this.session = session;
    }

    @Override
    public void onFrame(TcpConnection c, ByteBuffer buf, int offset, int length) {
        router.onFrame(session, buf, offset, length);
    }

    @Override
    public void onClosed(TcpConnection c, CloseReason reason) {
        router.onClosed(session);
    }
}
