package parley.server.protocol.scram;

import java.security.SecureRandom;

import parley.server.protocol.RegistryErrors;

/** Attribute-level syntax shared by both sides of RFC 5802 section 7. */
public final class ScramSyntax {
    public static final String GS2_HEADER = "n,,";
    /** base64("n,,"): the c= attribute when no channel binding is used. */
    public static final String CHANNEL_BINDING = "biws";
    /** The one channel-binding type Parley uses (RFC 5929): a hash of the server's certificate. */
    public static final String CB_TYPE = "tls-server-end-point";
    /** gs2 header of SCRAM-SHA-256-PLUS: {@code p=tls-server-end-point,,} (RFC 5802 section 7). */
    public static final String GS2_PLUS_HEADER = "p=" + CB_TYPE + ",,";
    public static final int MIN_NONCE_LENGTH = 16;
    public static final int MAX_NONCE_LENGTH = 64;
    /** Longest message either side accepts; keeps parsing of hostile input bounded. */
    public static final int MAX_MESSAGE_LENGTH = 512;

    private ScramSyntax() {
    }

    /**
     * The c= attribute: base64 of the gs2 header followed by the channel-binding data (none
     * without binding), RFC 5802 section 7 {@code cbind-input}.
     */
    public static String cbindAttribute(String gs2Header, byte[] cbindData) {
        byte[] head = gs2Header.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] data = cbindData == null ? new byte[0] : cbindData;
        byte[] all = java.util.Arrays.copyOf(head, head.length + data.length);
        System.arraycopy(data, 0, all, head.length, data.length);
        return ScramCrypto.b64(all);
    }

    /** Raw bytes of a nonce: base64 of 18 bytes is 24 characters and never contains a ','. */
    private static final int NONCE_BYTES = 18;

    /** A fresh nonce for either side of the exchange: 18 random bytes in base64. */
    public static String newNonce(SecureRandom random) {
        byte[] b = new byte[NONCE_BYTES];
        random.nextBytes(b);
        return ScramCrypto.b64(b);
    }

    public static ScramException malformed(String why) {
        return new ScramException(RegistryErrors.AUTH_MALFORMED, why);
    }

    /** printable = %x21-2B / %x2D-7E: printable ASCII except ','. */
    public static boolean isNonce(String s, int min, int max) {
        if (s.length() < min || s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7E || c == ',') {
                return false;
            }
        }
        return true;
    }

    /** Value of attribute {@code name} at {@code parts[i]} ("x=value"), or an exception. */
    public static String attribute(String[] parts, int i, char name) throws ScramException {
        if (i >= parts.length) {
            throw malformed("missing attribute " + name);
        }
        String p = parts[i];
        if (p.length() < 2 || p.charAt(0) != name || p.charAt(1) != '=') {
            throw malformed("expected attribute " + name + " at position " + i);
        }
        return p.substring(2);
    }

    public static String[] split(String message) throws ScramException {
        if (message.length() > MAX_MESSAGE_LENGTH) {
            throw malformed("message longer than " + MAX_MESSAGE_LENGTH);
        }
        return message.split(",", -1);
    }

    /** saslname: '=' is sent as "=3D" and ',' as "=2C"; any other '=' is malformed. */
    public static String decodeSaslName(String s) throws ScramException {
        if (s.indexOf('=') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '=') {
                out.append(c);
            } else if (s.startsWith("=3D", i)) {
                out.append('=');
                i += 2;
            } else if (s.startsWith("=2C", i)) {
                out.append(',');
                i += 2;
            } else {
                throw malformed("bad escape in user name");
            }
        }
        return out.toString();
    }

    public static String encodeSaslName(String s) {
        return s.replace("=", "=3D").replace(",", "=2C");
    }
}
