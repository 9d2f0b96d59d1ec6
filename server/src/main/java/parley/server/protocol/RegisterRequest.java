package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.server.protocol.scram.ScramKeys;

/**
 * REGISTER: name, salt, iteration count and the two SCRAM keys derived from the password. The
 * name may be one byte over {@link Limits#MAX_NAME_BYTES} so that the registry can answer
 * USERNAME_TOO_LONG instead of a malformed body; anything longer is malformed.
 */
public record RegisterRequest(String name, byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
    public static final int MAX_NAME_BYTES_READ = Limits.MAX_NAME_BYTES + 1;

    public static RegisterRequest decode(BodyReader r) {
        String name = r.string(MAX_NAME_BYTES_READ);
        byte[] salt = r.bytes(Limits.MAX_SALT_BYTES);
        int iterations = r.i32();
        byte[] storedKey = r.bytes(Limits.MAX_KEY_BYTES);
        byte[] serverKey = r.bytes(Limits.MAX_KEY_BYTES);
        r.end();
        return new RegisterRequest(name, salt, iterations, storedKey, serverKey);
    }

    /** The REGISTER a client sends for the keys it derived (see {@link ScramKeys#derive}). */
    public static RegisterRequest of(String name, ScramKeys creds) {
        return new RegisterRequest(name, creds.salt(), creds.iterations(), creds.storedKey(), creds.serverKey());
    }

    public void encode(BodyWriter w) {
        w.string(name).bytes(salt).i32(iterations).bytes(storedKey).bytes(serverKey);
    }
}
