package parley.peer.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Cipher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dissector's pure-Lua AEADs (tools/wireshark/parley_crypto.lua, ChaCha20-Poly1305, and
 * parley_aes.lua, AES-256-GCM), run by the Lua 5.2 that Wireshark 4.0 bundles (Debian's lua5.2):
 * the RFC 8439, FIPS 197 and GCM-spec vectors, every sealed datagram of
 * docs/vectors/datagrams.json, and seeded random messages sealed by the JDK's ChaCha20-Poly1305
 * and AES/GCM around every block boundary (lengths 0 to 1,200, and a 65,471-byte one: the frames
 * of the largest datagram).
 */
class WiresharkCryptoTest {
    @TempDir
    Path dir;

    @Test
    void theLuaAeadsMatchTheirSpecsTheDatagramVectorsAndTheJdk() throws Exception {
        Tshark.ensureInstalled();
        Random random = new Random(8439);
        StringBuilder lines = new StringBuilder();
        int[] lengths = {0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 500, 1164, 1200, 65_471};
        int[] aads = {0, 20, 13, 16, 20, 20, 1, 20, 0, 20, 33, 20, 20, 20, 20, 20, 20, 20};
        for (int i = 0; i < lengths.length; i++) {
            vector(lines, "aead", random, aads[i], lengths[i]);
            vector(lines, "gcm", random, aads[i], lengths[i]);
        }
        Path vectors = dir.resolve("jdk-vectors.txt");
        Files.writeString(vectors, lines);
        Path wireshark = Tshark.ROOT.resolve("tools/wireshark");
        Tshark.Result r = Tshark.run(List.of("lua5.2", wireshark.resolve("test/crypto_test.lua").toString(),
                wireshark.toString(), Tshark.ROOT.resolve("docs/vectors").toString(), vectors.toString()), 300);
        assertThat(r.out()).as(r.err()).doesNotContain("FAIL").contains("ok rfc8439 2.8.2 seal")
                .contains("ok rfc8439 A.3 #9").contains("ok datagrams.json stream")
                .contains("ok datagrams.json suites").contains("ok datagrams.json gcm_stream").contains("ok jdk aead 35 open")
                .contains("ok fips197 C.3 aes256").contains("ok gcm case 16 open").contains("ok jdk gcm 36 open")
                .endsWith("all ok\n");
        assertThat(r.code()).isZero();
    }

    /**
     * One line "kind key nonce aad plaintext sealed" (hex, "-" for empty) sealed by the JDK: kind
     * aead is ChaCha20-Poly1305, gcm is AES-256-GCM with a 128-bit tag.
     */
    private static void vector(StringBuilder lines, String kind, Random random, int aadLength, int length) throws Exception {
        HexFormat hex = HexFormat.of();
        byte[] key = new byte[32];
        byte[] nonce = new byte[12];
        byte[] aad = new byte[aadLength];
        byte[] plain = new byte[length];
        random.nextBytes(key);
        random.nextBytes(nonce);
        random.nextBytes(aad);
        random.nextBytes(plain);
        Cipher c = WiresharkBodiesTest.sealer(kind.equals("gcm"), key, nonce);
        c.updateAAD(aad);
        byte[] sealed = c.doFinal(plain);
        lines.append(kind).append(' ').append(hex.formatHex(key)).append(' ').append(hex.formatHex(nonce)).append(' ')
                .append(aad.length == 0 ? "-" : hex.formatHex(aad)).append(' ')
                .append(plain.length == 0 ? "-" : hex.formatHex(plain)).append(' ').append(hex.formatHex(sealed)).append('\n');
    }
}
