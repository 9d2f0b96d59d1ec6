package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;

/**
 * A user's two UDP endpoints: the one it announced and the one the registry observed from its
 * confirmed probes; each an address literal (empty when unknown) and a port (0 when unknown). The
 * LOOKUP_ENDPOINT reply, and the tail of {@link PeerIntroduction}.
 */
public record Endpoints(String announcedHost, int announcedPort, String observedHost, int observedPort) {
    public static Endpoints decode(BodyReader r) {
        Endpoints e = read(r);
        r.end();
        return e;
    }

    static Endpoints read(BodyReader r) {
        return new Endpoints(r.string(Limits.MAX_HOST_BYTES), r.u16(), r.string(Limits.MAX_HOST_BYTES), r.u16());
    }

    public void encode(BodyWriter w) {
        write(w, announcedHost, announcedPort, observedHost, observedPort);
    }

    /** Flyweight form: writes the four fields without a record (a null host is written empty). */
    public static void write(BodyWriter w, String announcedHost, int announcedPort, String observedHost, int observedPort) {
        w.string(announcedHost == null ? "" : announcedHost).u16(announcedPort);
        w.string(observedHost == null ? "" : observedHost).u16(observedPort);
    }
}
