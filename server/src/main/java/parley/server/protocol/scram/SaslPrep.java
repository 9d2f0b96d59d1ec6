package parley.server.protocol.scram;

import java.text.Normalizer;

/**
 * Password normalisation. Full SASLprep (RFC 4013) is stringprep with NFKC plus mapping and
 * prohibition tables; we apply a documented subset, identically on every client:
 * <ol>
 *   <li>NFKC ({@link Normalizer.Form#NFKC}); this already maps the non-ASCII spaces of RFC 4013
 *       table C.1.2 (for example U+00A0) to U+0020;</li>
 *   <li>refuse the result if it is empty or contains a control character (Unicode category Cc).</li>
 * </ol>
 * Not done: removing the "commonly mapped to nothing" characters (B.1, such as U+00AD) and the
 * bidi checks. Both sides of a Parley login run this same code, so the subset is consistent.
 */
public final class SaslPrep {
    private SaslPrep() {
    }

    public static String normalize(String password) {
        String n = Normalizer.normalize(password, Normalizer.Form.NFKC);
        if (n.isEmpty()) {
            throw new IllegalArgumentException("password is empty");
        }
        for (int i = 0; i < n.length(); i++) {
            if (Character.getType(n.charAt(i)) == Character.CONTROL) {
                throw new IllegalArgumentException("password contains a control character at position " + i);
            }
        }
        return n;
    }
}
