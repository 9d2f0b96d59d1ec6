package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.ErrorCode;
import parley.core.wire.WireException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An account's public identity (PROTOCOL.md section 7.9), 128 bytes: the Ed25519 public key, the
 * X25519 public key, and the Ed25519 signature over {@code "parley-identity-1" || x25519}, which
 * binds the agreement key to the signing key. The registry checks the signature before it stores
 * a bundle (BAD_IDENTITY otherwise), and peers check it again: the registry is not trusted with it.
 *
 * <p>Where a bundle is optional it travels as {@code u8} 0 (none) or {@code u8} 1 and the 128
 * bytes. Where the optional bundle ends a body, a body that ends where the flag would be reads as
 * none ({@link #readOptionalOrEnd}): peers and registries made before identities interoperate.
 */
public record IdentityBundle(byte[] signingKey, byte[] agreementKey, byte[] signature) {
    public static final int BYTES = Ed25519.KEY_BYTES + Limits.KEY_BYTES + Ed25519.SIGNATURE_BYTES;
    /** The 17 ASCII bytes signed before the X25519 key. */
    public static final byte[] DOMAIN = "parley-identity-1".getBytes(StandardCharsets.US_ASCII);
    public static final int ABSENT = 0;
    public static final int PRESENT = 1;

    public IdentityBundle {
        if (signingKey.length != Ed25519.KEY_BYTES || agreementKey.length != Limits.KEY_BYTES
                || signature.length != Ed25519.SIGNATURE_BYTES) {
            throw new IllegalArgumentException("an identity bundle is 32 + 32 + 64 bytes");
        }
    }

    /** The bytes the signature covers: {@code "parley-identity-1" || agreementKey}. */
    public static byte[] signedBytes(byte[] agreementKey) {
        byte[] m = Arrays.copyOf(DOMAIN, DOMAIN.length + agreementKey.length);
        System.arraycopy(agreementKey, 0, m, DOMAIN.length, agreementKey.length);
        return m;
    }

    /** The bundle of a signing seed and an X25519 public key: signs it. CPU: call off the loop. */
    public static IdentityBundle sign(byte[] signingSeed, byte[] signingKey, byte[] agreementKey) {
        return new IdentityBundle(signingKey.clone(), agreementKey.clone(), Ed25519.sign(signingSeed, signedBytes(agreementKey)));
    }

    /** True when the signature is the signing key's over the agreement key. CPU: call off the loop. */
    public boolean verify() {
        return Ed25519.verify(signingKey, signedBytes(agreementKey), signature);
    }

    /** The 128 bytes, in wire order. */
    public byte[] toBytes() {
        byte[] b = new byte[BYTES];
        System.arraycopy(signingKey, 0, b, 0, Ed25519.KEY_BYTES);
        System.arraycopy(agreementKey, 0, b, Ed25519.KEY_BYTES, Limits.KEY_BYTES);
        System.arraycopy(signature, 0, b, Ed25519.KEY_BYTES + Limits.KEY_BYTES, Ed25519.SIGNATURE_BYTES);
        return b;
    }

    /** The bundle in {@code b} (exactly 128 bytes), unchecked. */
    public static IdentityBundle fromBytes(byte[] b) {
        if (b.length != BYTES) {
            throw new IllegalArgumentException("an identity bundle is " + BYTES + " bytes");
        }
        return new IdentityBundle(Arrays.copyOfRange(b, 0, 32), Arrays.copyOfRange(b, 32, 64), Arrays.copyOfRange(b, 64, BYTES));
    }

    /** Reads the 128 bytes (no flag). */
    public static IdentityBundle decode(BodyReader r) {
        byte[] b = new byte[BYTES];
        r.fixed(b);
        return fromBytes(b);
    }

    public void encode(BodyWriter w) {
        w.fixed(toBytes());
    }

    /**
     * As {@link #readOptional}, but a body that ends where the flag would be reads as none: the
     * bundle is the last field of REGISTER, LOGIN_FINISH's reply, PEER_INVITE and PEER_READY, which
     * sides made before identities send without it.
     */
    public static IdentityBundle readOptionalOrEnd(BodyReader r) {
        return r.remaining() == 0 ? null : readOptional(r);
    }

    /** Reads an optional bundle: none when the flag is 0, the bundle when it is 1; any other flag is MALFORMED_BODY. */
    public static IdentityBundle readOptional(BodyReader r) {
        int flag = r.u8();
        if (flag == ABSENT) {
            return null;
        }
        if (flag != PRESENT) {
            throw new WireException(ErrorCode.MALFORMED_BODY, "identity flag must be 0 or 1, not " + flag);
        }
        return decode(r);
    }

    /** Writes an optional bundle: the flag, then the bundle if there is one. */
    public static void writeOptional(BodyWriter w, IdentityBundle b) {
        if (b == null) {
            w.u8(ABSENT);
        } else {
            w.u8(PRESENT);
            b.encode(w);
        }
    }

    /** As {@link #writeOptional}, from the stored 128 bytes (or null). */
    public static void writeOptional(BodyWriter w, byte[] bundle) {
        if (bundle == null) {
            w.u8(ABSENT);
        } else {
            w.u8(PRESENT).fixed(bundle);
        }
    }

    /** Bytewise equality of the three keys (a record of arrays compares identities). */
    public boolean sameAs(IdentityBundle o) {
        return o != null && Arrays.equals(toBytes(), o.toBytes());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdentityBundle b && sameAs(b);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(signingKey);
    }

    @Override
    public String toString() {
        return "IdentityBundle[" + java.util.HexFormat.of().formatHex(signingKey, 0, 8) + "...]";
    }
}
