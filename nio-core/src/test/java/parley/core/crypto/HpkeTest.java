package parley.core.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HPKE against the official RFC 9180 appendix A.2 vectors (resource hpke/rfc9180-a2-...json, its
 * source cited inside): base and auth mode, DeriveKeyPair, the sealed bytes, and open.
 */
class HpkeTest {
    private static final Pattern ENTRY = Pattern.compile("\"([\\w.]+)\"\\s*:\\s*(?:\"([^\"]*)\"|(-?\\d+))");

    private static Map<String, String> vectors() throws IOException {
        try (InputStream in = HpkeTest.class.getResourceAsStream("/hpke/rfc9180-a2-x25519-sha256-chacha20poly1305.json")) {
            Matcher m = ENTRY.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            Map<String, String> v = new HashMap<>();
            while (m.find()) {
                v.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
            }
            return v;
        }
    }

    private static byte[] hex(Map<String, String> v, String key) {
        String s = v.get(key);
        assertThat(s).as(key).isNotNull();
        return HexFormat.of().parseHex(s);
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "auth"})
    void matchesRfc9180AppendixA2(String mode) throws IOException {
        Map<String, String> v = vectors();
        String p = mode + ".";
        boolean auth = mode.equals("auth");
        assertThat(Integer.parseInt(v.get(p + "mode"))).isEqualTo(auth ? Hpke.MODE_AUTH : Hpke.MODE_BASE);
        X25519KeyPair eph = Hpke.deriveKeyPair(hex(v, p + "ikmE"));
        X25519KeyPair recipient = Hpke.deriveKeyPair(hex(v, p + "ikmR"));
        X25519KeyPair sender = auth ? Hpke.deriveKeyPair(hex(v, p + "ikmS")) : null;
        assertThat(eph.publicKey()).isEqualTo(hex(v, p + "pkEm"));
        assertThat(recipient.publicKey()).isEqualTo(hex(v, p + "pkRm"));
        assertThat(X25519KeyPair.fromPrivate(hex(v, p + "skRm")).publicKey()).isEqualTo(hex(v, p + "pkRm"));
        if (auth) {
            assertThat(sender.publicKey()).isEqualTo(hex(v, p + "pkSm"));
        }
        byte[] pt = hex(v, p + "pt");
        byte[] expected = concat(hex(v, p + "enc"), hex(v, p + "ct"));

        ByteBuffer out = ByteBuffer.allocate(expected.length);
        new Hpke().seal(eph, hex(v, p + "pkRm"), sender, hex(v, p + "info"), ByteBuffer.wrap(hex(v, p + "aad")),
                ByteBuffer.wrap(pt), out);
        assertThat(out.array()).isEqualTo(expected);

        ByteBuffer plain = ByteBuffer.allocate(pt.length);
        boolean ok = new Hpke().open(X25519KeyPair.fromPrivate(hex(v, p + "skRm")), auth ? hex(v, p + "pkSm") : null,
                hex(v, p + "info"), ByteBuffer.wrap(hex(v, p + "aad")), ByteBuffer.wrap(expected), plain);
        assertThat(ok).isTrue();
        assertThat(plain.array()).isEqualTo(pt);
    }

    @Test
    void roundTripsWithFreshEphemeralsAndRejectsEveryFlippedBit() {
        X25519KeyPair r = X25519KeyPair.generate();
        X25519KeyPair s = X25519KeyPair.generate();
        byte[] info = "parley-mail-1".getBytes(StandardCharsets.US_ASCII);
        byte[] aad = "bob".getBytes(StandardCharsets.US_ASCII);
        byte[] msg = "hello offline bob".getBytes(StandardCharsets.UTF_8);
        Hpke hpke = new Hpke();
        ByteBuffer blob = ByteBuffer.allocate(msg.length + Hpke.OVERHEAD);
        hpke.seal(r.publicKey(), s, info, ByteBuffer.wrap(aad), ByteBuffer.wrap(msg), blob);
        assertThat(blob.remaining()).isZero();
        byte[] sealed = blob.array();
        ByteBuffer out = ByteBuffer.allocate(msg.length);
        assertThat(hpke.open(r, s.publicKey(), info, ByteBuffer.wrap(aad), ByteBuffer.wrap(sealed), out)).isTrue();
        assertThat(out.array()).isEqualTo(msg);

        for (int bit = 0; bit < sealed.length * 8; bit += 7) {
            byte[] bad = sealed.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(hpke.open(r, s.publicKey(), info, ByteBuffer.wrap(aad), ByteBuffer.wrap(bad), ByteBuffer.allocate(msg.length)))
                    .as("bit %d flipped", bit).isFalse();
        }
        // Wrong aad (recipient), wrong sender, base mode for an auth blob, wrong recipient key: all refused.
        assertThat(hpke.open(r, s.publicKey(), info, ByteBuffer.wrap("eve".getBytes(StandardCharsets.US_ASCII)),
                ByteBuffer.wrap(sealed), ByteBuffer.allocate(msg.length))).isFalse();
        assertThat(hpke.open(r, X25519KeyPair.generate().publicKey(), info, ByteBuffer.wrap(aad), ByteBuffer.wrap(sealed),
                ByteBuffer.allocate(msg.length))).isFalse();
        assertThat(hpke.open(r, null, info, ByteBuffer.wrap(aad), ByteBuffer.wrap(sealed), ByteBuffer.allocate(msg.length))).isFalse();
        assertThat(hpke.open(X25519KeyPair.generate(), s.publicKey(), info, ByteBuffer.wrap(aad), ByteBuffer.wrap(sealed),
                ByteBuffer.allocate(msg.length))).isFalse();
        // Too short, and a low-order enc (all zero): refused, no exception.
        assertThat(hpke.open(r, null, info, ByteBuffer.wrap(aad), ByteBuffer.wrap(new byte[Hpke.OVERHEAD - 1]), ByteBuffer.allocate(0))).isFalse();
        assertThat(hpke.open(r, null, info, ByteBuffer.wrap(aad), ByteBuffer.wrap(new byte[Hpke.OVERHEAD + 3]), ByteBuffer.allocate(3))).isFalse();
    }

    @Test
    void hmacMatchesTheJdk() {
        byte[] key = new byte[100];
        byte[] data = new byte[333];
        new java.util.Random(7).nextBytes(key);
        new java.util.Random(8).nextBytes(data);
        for (int kl : new int[] {1, 32, 64, 65, 100}) {
            byte[] k = java.util.Arrays.copyOf(key, kl);
            byte[] ours = new byte[32];
            new HmacSha256().start(k).update(data, 0, 100).update(data[100]).update(data, 101, 232).finish(ours, 0);
            assertThat(ours).as("key length %d", kl).isEqualTo(Hkdf.hmac(k, data));
        }
    }

    /**
     * The key schedule and the AEAD allocate nothing once warm. Counts this thread's allocated bytes around 10,000 runs.
     */
    @Test
    void keyScheduleAndAeadAllocateNothingInSteadyState() {
        HpkeKeySchedule schedule = new HpkeKeySchedule();
        ChaCha20Poly1305 aead = new ChaCha20Poly1305(new byte[32]);
        byte[] dh = new byte[64];
        byte[] kemContext = new byte[96];
        byte[] info = "parley-mail-1".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer aad = ByteBuffer.allocate(3);
        ByteBuffer plain = ByteBuffer.allocate(200);
        ByteBuffer out = ByteBuffer.allocate(216);
        Runnable once = () -> {
            schedule.derive(Hpke.MODE_AUTH, dh, 64, kemContext, info);
            aead.rekey(schedule.key());
            aad.clear();
            plain.clear();
            out.clear();
            aead.seal(schedule.nonce(), aad, plain, out);
            dh[0]++;
        };
        long allocated = ThreadAllocation.ofRounds(once, 20_000, 10_000);
        // A few hundred bytes of slack for the measurement itself (its long boxing, a JIT safepoint).
        assertThat(allocated).as("bytes allocated by 10,000 key schedules and seals").isLessThan(1_000);
    }

    /**
     * Whole seal (auth mode, ephemeral key from caller-provided random bytes) and open allocate
     * nothing once warm, X25519 included. Counts this thread's allocated bytes around 300 runs.
     */
    @Test
    void sealAndOpenAllocateNothingInSteadyState() {
        Hpke hpke = new Hpke();
        X25519KeyPair r = X25519KeyPair.generate();
        X25519KeyPair s = X25519KeyPair.generate();
        byte[] recipientKey = r.publicKey();
        byte[] senderKey = s.publicKey();
        byte[] ephemeral = new byte[32];
        byte[] info = "parley-mail-1".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer aad = ByteBuffer.allocate(3);
        ByteBuffer plain = ByteBuffer.allocate(200);
        ByteBuffer sealed = ByteBuffer.allocate(200 + Hpke.OVERHEAD);
        ByteBuffer opened = ByteBuffer.allocate(200);
        boolean[] allOpened = {true};
        Runnable once = () -> {
            ephemeral[0]++;
            ephemeral[7] += 3;
            aad.clear();
            plain.clear();
            sealed.clear();
            hpke.seal(ephemeral, recipientKey, s, info, aad, plain, sealed);
            sealed.flip();
            aad.clear();
            opened.clear();
            allOpened[0] &= hpke.open(r, senderKey, info, aad, sealed, opened);
        };
        long allocated = ThreadAllocation.ofRounds(once, 3_000, 300);
        assertThat(allOpened[0]).isTrue();
        // The JDK's XDH took about 27 KB per seal and 13 KB per open: 300 of each would be 12 MB.
        assertThat(allocated).as("bytes allocated by 300 seals and opens").isLessThan(1_000);
    }

    /**
     * Seal drawing its own ephemeral key (as sealed mail does) allocates nothing once warm: the
     * randomness comes from the pool, refilled in bulk (at most one refill of ~260 bytes could
     * fall inside the measured 300 seals; a SecureRandom call per seal allocated ~112 bytes each).
     */
    @Test
    void sealWithItsOwnRandomnessAllocatesNothingInSteadyState() {
        Hpke hpke = new Hpke();
        byte[] recipientKey = X25519KeyPair.generate().publicKey();
        byte[] info = "parley-mail-1".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer aad = ByteBuffer.allocate(3);
        ByteBuffer plain = ByteBuffer.allocate(200);
        ByteBuffer sealed = ByteBuffer.allocate(200 + Hpke.OVERHEAD);
        Runnable once = () -> {
            aad.clear();
            plain.clear();
            sealed.clear();
            hpke.seal(recipientKey, null, info, aad, plain, sealed);
        };
        long allocated = ThreadAllocation.ofRounds(once, 3_000, 300);
        assertThat(allocated).as("bytes allocated by 300 seals with their own randomness").isLessThan(1_000);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
