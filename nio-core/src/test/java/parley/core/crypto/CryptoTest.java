package parley.core.crypto;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CryptoTest {
    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Test
    void hkdfMatchesRfc5869TestCase1() {
        byte[] ikm = hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        byte[] salt = hex("000102030405060708090a0b0c");
        byte[] info = hex("f0f1f2f3f4f5f6f7f8f9");
        byte[] prk = Hkdf.extract(salt, ikm);
        assertThat(prk).isEqualTo(hex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5"));
        assertThat(Hkdf.expand(prk, info, 42)).isEqualTo(hex(
                "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"));
    }

    @Test
    void hkdfMatchesRfc5869TestCase3WithEmptySaltAndInfo() {
        byte[] ikm = hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        byte[] prk = Hkdf.extract(new byte[0], ikm);
        assertThat(prk).isEqualTo(hex("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04"));
        assertThat(Hkdf.expand(prk, new byte[0], 42)).isEqualTo(hex(
                "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"));
    }

    @Test
    void bothSidesDeriveMatchingDirectionalKeysAndTheSameFingerprint() {
        X25519KeyPair a = X25519KeyPair.generate();
        X25519KeyPair b = X25519KeyPair.generate();
        SessionKeys ka = SessionKeys.derive(a, 1L, b.publicKey(), 2L);
        SessionKeys kb = SessionKeys.derive(b, 2L, a.publicKey(), 1L);
        assertThat(ka.sendKey).isEqualTo(kb.receiveKey);
        assertThat(ka.receiveKey).isEqualTo(kb.sendKey);
        assertThat(ka.sendIv).isEqualTo(kb.receiveIv);
        assertThat(ka.sendKey).isNotEqualTo(ka.receiveKey);
        assertThat(ka.fingerprint).isEqualTo(kb.fingerprint).matches("([0-9A-F]{4} ){4}[0-9A-F]{4}");
        SessionKeys other = SessionKeys.derive(a, 1L, b.publicKey(), 3L);
        assertThat(other.sendKey).as("keys are bound to the session ids").isNotEqualTo(ka.sendKey);
    }

    @Test
    void sealedPacketsOpenOnlyUnchanged() {
        X25519KeyPair a = X25519KeyPair.generate();
        X25519KeyPair b = X25519KeyPair.generate();
        SessionKeys ka = SessionKeys.derive(a, 1L, b.publicKey(), 2L);
        SessionKeys kb = SessionKeys.derive(b, 2L, a.publicKey(), 1L);
        PacketCipher sealer = PacketCipher.sealer(ka.sendKey, ka.sendIv);
        PacketCipher opener = PacketCipher.opener(kb.receiveKey, kb.receiveIv);
        byte[] aad = "header+session".getBytes();
        byte[] plain = "hello, peer".getBytes();
        ByteBuffer sealed = ByteBuffer.allocate(plain.length + PacketCipher.TAG_LENGTH);
        sealer.seal(7, ByteBuffer.wrap(aad), ByteBuffer.wrap(plain), sealed);
        sealed.flip();
        ByteBuffer out = ByteBuffer.allocate(64);
        assertThat(opener.open(7, ByteBuffer.wrap(aad), sealed.duplicate(), out)).isTrue();
        out.flip();
        byte[] got = new byte[out.remaining()];
        out.get(got);
        assertThat(got).isEqualTo(plain);
        assertThat(opener.open(8, ByteBuffer.wrap(aad), sealed.duplicate(), ByteBuffer.allocate(64)))
                .as("wrong packet number").isFalse();
        byte[] otherAad = aad.clone();
        otherAad[0] ^= 1;
        assertThat(opener.open(9, ByteBuffer.wrap(otherAad), sealed.duplicate(), ByteBuffer.allocate(64))).isFalse();
        byte[] tampered = new byte[sealed.remaining()];
        sealed.duplicate().get(tampered);
        tampered[2] ^= 1;
        PacketCipher fresh = PacketCipher.opener(kb.receiveKey, kb.receiveIv);
        assertThat(fresh.open(7, ByteBuffer.wrap(aad), ByteBuffer.wrap(tampered), ByteBuffer.allocate(64))).isFalse();
    }

    @Test
    void lowOrderPublicKeysAreRefused() {
        X25519KeyPair a = X25519KeyPair.generate();
        assertThatThrownBy(() -> a.agree(new byte[32])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.agree(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }
}
