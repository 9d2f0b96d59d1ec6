package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.server.protocol.scram.ScramKeys;

/**
 * REGISTER: name, salt, iteration count and the two SCRAM keys derived from the password. The
 * name may be one byte over {@link Limits#MAX_NAME_BYTES} so that the registry can answer
 * USERNAME_TOO_LONG instead of a malformed body; anything longer is malformed. The optional
 * identity bundle (section 7.9) ends the body; a body without it registers an account without one.
 */
public record RegisterRequest(String name, byte[] salt, int iterations, byte[] storedKey, byte[] serverKey,
                              IdentityBundle identity) {
    public static final int MAX_NAME_BYTES_READ = Limits.MAX_NAME_BYTES + 1;

    /** A REGISTER without an identity bundle, as clients made before identities (section 7.9) send. */
    public RegisterRequest(String name, byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
        this(name, salt, iterations, storedKey, serverKey, null);
    }

    public static RegisterRequest decode(BodyReader r) {
        String name = r.string(MAX_NAME_BYTES_READ);
        byte[] salt = r.bytes(Limits.MAX_SALT_BYTES);
        int iterations = r.i32();
        byte[] storedKey = r.bytes(Limits.MAX_KEY_BYTES);
        byte[] serverKey = r.bytes(Limits.MAX_KEY_BYTES);
        IdentityBundle identity = IdentityBundle.readOptionalOrEnd(r);
        r.end();
        return new RegisterRequest(name, salt, iterations, storedKey, serverKey, identity);
    }

    /** The REGISTER a client sends for the keys it derived (see {@link ScramKeys#derive}). */
    public static RegisterRequest of(String name, ScramKeys creds, IdentityBundle identity) {
        return new RegisterRequest(name, creds.salt(), creds.iterations(), creds.storedKey(), creds.serverKey(), identity);
    }

    public static RegisterRequest of(String name, ScramKeys creds) {
        return of(name, creds, null);
    }

    public void encode(BodyWriter w) {
        w.string(name).bytes(salt).i32(iterations).bytes(storedKey).bytes(serverKey);
        IdentityBundle.writeOptional(w, identity);
    }
}
