package parley.peer.identity;

import org.junit.jupiter.api.Test;
import parley.server.protocol.Ed25519;
import parley.server.protocol.IdentityBundle;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The implementation against docs/vectors/identity.json (PROTOCOL.md 7.9), written by
 * generate.py from the spec with Python's {@code cryptography}: the identity keys and bundles,
 * the AUTH transcript and payload of each side of peer-keys.json's session, the safety number and
 * the short fingerprints.
 */
class IdentityVectorsTest {
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":\\s*(?:\"([^\"]*)\"|(-?\\d+))");
    private static final HexFormat HEX = HexFormat.of();

    private static Map<String, String> load(String file) throws Exception {
        String text = Files.readString(Path.of("..", "docs", "vectors", file), StandardCharsets.UTF_8);
        Map<String, String> out = new HashMap<>();
        Matcher m = FIELD.matcher(text);
        while (m.find()) {
            out.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
        }
        return out;
    }

    private static byte[] hex(Map<String, String> v, String name) {
        assertThat(v).containsKey(name);
        return HEX.parseHex(v.get(name));
    }

    @Test
    void keysAndBundlesAreTheVectors() throws Exception {
        Map<String, String> v = load("identity.json");
        for (String side : new String[]{"a", "b"}) {
            IdentityKeys k = IdentityKeys.fromPrivate(hex(v, side + "_ed25519_seed"), hex(v, side + "_x25519_private"));
            assertThat(k.ed25519Public()).isEqualTo(hex(v, side + "_ed25519_public"));
            assertThat(k.x25519Public()).isEqualTo(hex(v, side + "_x25519_public"));
            assertThat(k.bundleBytes()).as("deterministic Ed25519: the same signature").isEqualTo(hex(v, side + "_bundle"));
            assertThat(IdentityBundle.fromBytes(hex(v, side + "_bundle")).verify()).isTrue();
            assertThat(SafetyNumber.shortFingerprint(k.ed25519Public())).isEqualTo(v.get(side + "_short_fingerprint"));
        }
        assertThat(IdentityBundle.fromBytes(hex(v, "bad_bundle_a")).verify()).isFalse();
    }

    @Test
    void authTranscriptsAndPayloadsAreTheVectorsAndVerifyFromTheOtherSide() throws Exception {
        Map<String, String> v = load("identity.json");
        Map<String, String> keys = load("peer-keys.json");
        byte[] aPub = hex(keys, "a_public");
        byte[] bPub = hex(keys, "b_public");
        long aSid = Long.parseLong(keys.get("a_session_id"));
        long bSid = Long.parseLong(keys.get("b_session_id"));
        IdentityKeys a = IdentityKeys.fromPrivate(hex(v, "a_ed25519_seed"), hex(v, "a_x25519_private"));
        IdentityKeys b = IdentityKeys.fromPrivate(hex(v, "b_ed25519_seed"), hex(v, "b_x25519_private"));

        byte[] aSigned = AuthMessage.transcript(aPub, aSid, bPub, bSid);
        assertThat(aSigned).hasSize(AuthMessage.SIGNED_BYTES).isEqualTo(hex(v, "auth_a_signed"));
        assertThat(aSigned[aSigned.length - 1]).isEqualTo((byte) Integer.parseInt(v.get("auth_a_role")));
        assertThat(AuthMessage.encode(a.sign(aSigned))).isEqualTo(hex(v, "auth_a_payload"));
        byte[] bSigned = AuthMessage.transcript(bPub, bSid, aPub, aSid);
        assertThat(bSigned).isEqualTo(hex(v, "auth_b_signed"));
        assertThat(AuthMessage.encode(b.sign(bSigned))).isEqualTo(hex(v, "auth_b_payload"));

        // What b checks of a's AUTH, from b's own view, and the other way round.
        byte[] sigA = AuthMessage.signature(ByteBuffer.wrap(hex(v, "auth_a_payload")));
        assertThat(Ed25519.verify(a.ed25519Public(), AuthMessage.transcript(aPub, aSid, bPub, bSid), sigA)).isTrue();
        byte[] sigB = AuthMessage.signature(ByteBuffer.wrap(hex(v, "auth_b_payload")));
        assertThat(Ed25519.verify(b.ed25519Public(), AuthMessage.transcript(bPub, bSid, aPub, aSid), sigB)).isTrue();
        // A swapped ephemeral key (a machine in the middle) changes the transcript: the AUTH fails.
        byte[] other = bPub.clone();
        other[5] ^= 1;
        assertThat(Ed25519.verify(a.ed25519Public(), AuthMessage.transcript(aPub, aSid, other, bSid), sigA)).isFalse();
    }

    @Test
    void theSafetyNumberIsTheVectorInEitherOrder() throws Exception {
        Map<String, String> v = load("identity.json");
        byte[] a = hex(v, "a_ed25519_public");
        byte[] b = hex(v, "b_ed25519_public");
        assertThat(SafetyNumber.of(a, b)).isEqualTo(v.get("safety_number")).isEqualTo(SafetyNumber.of(b, a))
                .matches("\\d{5}( \\d{5}){11}");
    }
}
