package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;

/** ANNOUNCE_ENDPOINT request: the peer's own UDP endpoint, an address literal and a port. */
public record AnnounceEndpoint(String host, int port) {
    public static AnnounceEndpoint decode(BodyReader r) {
        AnnounceEndpoint m = new AnnounceEndpoint(r.string(Limits.MAX_HOST_BYTES), r.u16());
        r.end();
        return m;
    }

    public void encode(BodyWriter w) {
        w.string(host).u16(port);
    }
}
