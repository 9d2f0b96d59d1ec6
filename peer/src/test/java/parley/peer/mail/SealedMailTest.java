package parley.peer.mail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import parley.core.crypto.X25519KeyPair;
import parley.server.protocol.Ed25519;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sealed mail format (PROTOCOL.md 7.11) against docs/vectors/sealed-mail.json, written by
 * generate.py's own HPKE; and the refusals: tampering, a bad signature, the wrong recipient.
 */
class SealedMailTest {
    private static final Pattern ENTRY = Pattern.compile("\"([\\w.]+)\"\\s*:\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|(-?\\d+))");
    private static final HexFormat HEX = HexFormat.of();

    private static Map<String, String> vectors() throws Exception {
        Matcher m = ENTRY.matcher(Files.readString(Path.of("..", "docs", "vectors", "sealed-mail.json"), StandardCharsets.UTF_8));
        Map<String, String> v = new HashMap<>();
        while (m.find()) {
            v.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
        }
        return v;
    }

    @ParameterizedTest
    @ValueSource(strings = {"text.", "receipt."})
    void sealsExactlyTheVectorAndOpensIt(String p) throws Exception {
        Map<String, String> v = vectors();
        byte[] body = HEX.parseHex(v.get(p + "body"));
        SealedMail.Mail mail = new SealedMail.Mail(v.get("sender"), Long.parseLong(v.get(p + "id")),
                Long.parseLong(v.get(p + "sent_at")), Integer.parseInt(v.get(p + "kind")), body);
        X25519KeyPair recipient = X25519KeyPair.fromPrivate(HEX.parseHex(v.get("recipient_private")));
        assertThat(recipient.publicKey()).isEqualTo(HEX.parseHex(v.get("recipient_public")));
        SealedMail codec = new SealedMail();
        byte[] blob = codec.seal(mail, v.get("recipient"), recipient.publicKey(), m -> Ed25519.sign(HEX.parseHex(v.get("sender_seed")), m),
                X25519KeyPair.fromPrivate(HEX.parseHex(v.get(p + "ephemeral_private"))));
        assertThat(HEX.formatHex(blob)).isEqualTo(v.get(p + "blob"));

        SealedMail.Opened opened = new SealedMail().open(HEX.parseHex(v.get(p + "blob")), "BOB", recipient);
        assertThat(Ed25519.publicOf(HEX.parseHex(v.get("sender_seed")))).isEqualTo(HEX.parseHex(v.get("sender_public")));
        SealedMail.verify(opened, HEX.parseHex(v.get("sender_public")));
        assertThat(opened.mail.sender()).isEqualTo("Alice");
        assertThat(opened.mail.id()).isEqualTo(mail.id());
        assertThat(opened.mail.sentAt()).isEqualTo(mail.sentAt());
        assertThat(opened.mail.kind()).isEqualTo(mail.kind());
        assertThat(opened.mail.body()).isEqualTo(body);
    }

    @Test
    void roundTripsTextAndReceipt() throws Exception {
        Parties k = new Parties();
        SealedMail codec = new SealedMail();
        byte[] blob = codec.seal(SealedMail.Mail.text("alice", 42, 1000, "hi bob ✓"), "bob", k.bob.publicKey(), k.alice::sign);
        SealedMail.Opened o = codec.open(blob, "bob", k.bob);
        SealedMail.verify(o, k.alice.pub);
        assertThat(o.mail.text()).isEqualTo("hi bob ✓");
        byte[] receipt = codec.seal(SealedMail.Mail.receipt("bob", 7, 2000, 42), "alice", k.aliceX.publicKey(), k.bobSign::sign);
        SealedMail.Opened r = codec.open(receipt, "alice", k.aliceX);
        SealedMail.verify(r, k.bobSign.pub);
        assertThat(r.mail.kind()).isEqualTo(SealedMail.KIND_RECEIPT);
        assertThat(r.mail.deliveredId()).isEqualTo(42);
    }

    @Test
    void everyTamperedByteIsRefused() throws Exception {
        Parties k = new Parties();
        SealedMail codec = new SealedMail();
        byte[] blob = codec.seal(SealedMail.Mail.text("alice", 42, 1000, "tamper with me"), "bob", k.bob.publicKey(), k.alice::sign);
        for (int i = 0; i < blob.length; i++) {
            byte[] bad = blob.clone();
            bad[i] ^= 0x01;
            int at = i;
            assertThatThrownBy(() -> codec.open(bad, "bob", k.bob)).as("byte %d", at)
                    .isInstanceOfSatisfying(SealedMail.Rejected.class, e -> assertThat(e.reason).isEqualTo(SealedMail.Rejection.UNDECRYPTABLE));
        }
        assertThatThrownBy(() -> codec.open(java.util.Arrays.copyOf(blob, 20), "bob", k.bob))
                .isInstanceOfSatisfying(SealedMail.Rejected.class, e -> assertThat(e.reason).isEqualTo(SealedMail.Rejection.MALFORMED));
    }

    @Test
    void aMailForSomeoneElseOrSignedByAnotherKeyIsRefused() throws Exception {
        Parties k = new Parties();
        SealedMail codec = new SealedMail();
        byte[] blob = codec.seal(SealedMail.Mail.text("alice", 42, 1000, "for bob"), "bob", k.bob.publicKey(), k.alice::sign);
        // carol has bob's key (say) but the aad names bob: refused; bob's key under another name too.
        assertThatThrownBy(() -> codec.open(blob, "carol", k.bob)).isInstanceOf(SealedMail.Rejected.class);
        assertThatThrownBy(() -> codec.open(blob, "bob", k.aliceX)).isInstanceOf(SealedMail.Rejected.class);
        // Signed by mallory under alice's name: opens, but the signature does not verify with alice's key.
        Signing mallory = new Signing();
        byte[] forged = codec.seal(SealedMail.Mail.text("alice", 43, 1000, "I am alice"), "bob", k.bob.publicKey(), mallory::sign);
        SealedMail.Opened o = codec.open(forged, "bob", k.bob);
        assertThatThrownBy(() -> SealedMail.verify(o, k.alice.pub))
                .isInstanceOfSatisfying(SealedMail.Rejected.class, e -> assertThat(e.reason).isEqualTo(SealedMail.Rejection.BAD_SIGNATURE));
    }

    /** An Ed25519 identity signing key. */
    static final class Signing {
        final byte[] seed = new byte[32];
        final byte[] pub;

        Signing() {
            new java.security.SecureRandom().nextBytes(seed);
            pub = Ed25519.publicOf(seed);
        }

        byte[] sign(byte[] m) {
            return Ed25519.sign(seed, m);
        }
    }

    /** Identity keys of alice and bob: Ed25519 for signing, X25519 for sealing. */
    static final class Parties {
        final Signing alice = new Signing();
        final Signing bobSign = new Signing();
        final X25519KeyPair bob = X25519KeyPair.generate();
        final X25519KeyPair aliceX = X25519KeyPair.generate();
    }
}
