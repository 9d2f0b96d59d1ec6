package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;

/**
 * LOGIN_FINISH reply: server-final (the server's signature), the 16-byte session token the UDP
 * probe carries, the name as registered and the account's visibility code.
 */
public record LoginFinishReply(String serverFinal, long tokenHi, long tokenLo, String name, int visibility) {
    public static LoginFinishReply decode(BodyReader r) {
        LoginFinishReply m = new LoginFinishReply(r.string(Limits.MAX_SCRAM_BYTES), r.i64(), r.i64(),
                r.string(Limits.MAX_NAME_BYTES), r.u8());
        r.end();
        return m;
    }

    public void encode(BodyWriter w) {
        w.string(serverFinal).i64(tokenHi).i64(tokenLo).string(name).u8(visibility);
    }
}
