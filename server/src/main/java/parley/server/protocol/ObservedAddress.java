package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;

/** The answer to UDP_PROBE and PROBE_CONFIRM: the source address and port the registry saw. */
public record ObservedAddress(String host, int port) {
    public static ObservedAddress decode(BodyReader r) {
        ObservedAddress m = new ObservedAddress(r.string(Limits.MAX_HOST_BYTES), r.u16());
        r.end();
        return m;
    }

    public void encode(BodyWriter w) {
        write(w, host, port);
    }

    public static void write(BodyWriter w, CharSequence host, int port) {
        w.string(host).u16(port);
    }
}
