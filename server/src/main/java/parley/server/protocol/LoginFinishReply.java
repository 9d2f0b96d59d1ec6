package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;

/**
 * LOGIN_FINISH reply: server-final (the server's signature), the probe id and the 32-byte probe key
 * that UDP probes are made with ({@link UdpProbe}, {@link ProbeMac}), the name as registered and the
 * account's visibility code. The key is a secret of this login: it travels only here, over TLS.
 */
public record LoginFinishReply(String serverFinal, long probeId, byte[] probeKey, String name, int visibility) {
    public static LoginFinishReply decode(BodyReader r) {
        String serverFinal = r.string(Limits.MAX_SCRAM_BYTES);
        long probeId = r.i64();
        byte[] key = new byte[ProbeMac.KEY_BYTES];
        r.fixed(key);
        LoginFinishReply m = new LoginFinishReply(serverFinal, probeId, key, r.string(Limits.MAX_NAME_BYTES), r.u8());
        r.end();
        return m;
    }

    public void encode(BodyWriter w) {
        w.string(serverFinal).i64(probeId).fixed(probeKey).string(name).u8(visibility);
    }
}
