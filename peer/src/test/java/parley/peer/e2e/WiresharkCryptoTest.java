package parley.peer.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dissector's pure-Lua ChaCha20-Poly1305 (tools/wireshark/parley_crypto.lua), run by the
 * Lua 5.2 that Wireshark 4.0 bundles (Debian's lua5.2): the RFC 8439 vectors, every sealed
 * datagram of docs/vectors/datagrams.json, and seeded random messages sealed by the JDK's
 * ChaCha20-Poly1305 around every block boundary (lengths 0 to 1,200, the largest datagram).
 */
class WiresharkCryptoTest {
    @TempDir
    Path dir;

    @Test
    void theLuaAeadMatchesRfc8439TheDatagramVectorsAndTheJdk() throws Exception {
        Tshark.ensureInstalled();
        HexFormat hex = HexFormat.of();
        Random random = new Random(8439);
        StringBuilder lines = new StringBuilder();
        int[] lengths = {0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 500, 1164, 1200};
        int[] aads = {0, 20, 13, 16, 20, 20, 1, 20, 0, 20, 33, 20, 20, 20, 20, 20, 20};
        for (int i = 0; i < lengths.length; i++) {
            byte[] key = new byte[32];
            byte[] nonce = new byte[12];
            byte[] aad = new byte[aads[i]];
            byte[] plain = new byte[lengths[i]];
            random.nextBytes(key);
            random.nextBytes(nonce);
            random.nextBytes(aad);
            random.nextBytes(plain);
            Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
            c.updateAAD(aad);
            byte[] sealed = c.doFinal(plain);
            lines.append("aead ").append(hex.formatHex(key)).append(' ').append(hex.formatHex(nonce)).append(' ')
                    .append(aad.length == 0 ? "-" : hex.formatHex(aad)).append(' ')
                    .append(plain.length == 0 ? "-" : hex.formatHex(plain)).append(' ').append(hex.formatHex(sealed)).append('\n');
        }
        Path vectors = dir.resolve("jdk-vectors.txt");
        Files.writeString(vectors, lines);
        Path wireshark = Tshark.ROOT.resolve("tools/wireshark");
        Tshark.Result r = Tshark.run(List.of("lua5.2", wireshark.resolve("test/crypto_test.lua").toString(),
                wireshark.toString(), Tshark.ROOT.resolve("docs/vectors").toString(), vectors.toString()), 300);
        assertThat(r.out()).as(r.err()).doesNotContain("FAIL").contains("ok rfc8439 2.8.2 seal")
                .contains("ok rfc8439 A.3 #9").contains("ok datagrams.json stream").contains("ok jdk aead 17 open")
                .endsWith("all ok\n");
        assertThat(r.code()).isZero();
    }
}
