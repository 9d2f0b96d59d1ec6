package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;

/**
 * LOGIN_FINISH reply: server-final (the server's signature), the probe id and the 32-byte probe key
 * that UDP probes are made with ({@link UdpProbe}, {@link ProbeMac}), the name as registered and the
 * account's visibility code. The key is a secret of this login: it travels only here, over TLS.
 * Last, the account's stored identity bundle, optional (section 7.9): a peer whose own is not the
 * one stored sends SET_IDENTITY.
 */
public record LoginFinishReply(String serverFinal, long probeId, byte[] probeKey, String name, int visibility,
                               IdentityBundle identity) {
    public LoginFinishReply(String serverFinal, long probeId, byte[] probeKey, String name, int visibility) {
        this(serverFinal, probeId, probeKey, name, visibility, null);
    }

    public static LoginFinishReply decode(BodyReader r) {
        String serverFinal = r.string(Limits.MAX_SCRAM_BYTES);
        long probeId = r.i64();
        byte[] key = new byte[ProbeMac.KEY_BYTES];
        r.fixed(key);
        String name = r.string(Limits.MAX_NAME_BYTES);
        int visibility = r.u8();
        IdentityBundle identity = IdentityBundle.readOptionalOrEnd(r);
        r.end();
        return new LoginFinishReply(serverFinal, probeId, key, name, visibility, identity);
    }

    public void encode(BodyWriter w) {
        w.string(serverFinal).i64(probeId).fixed(probeKey).string(name).u8(visibility);
        IdentityBundle.writeOptional(w, identity);
    }
}
