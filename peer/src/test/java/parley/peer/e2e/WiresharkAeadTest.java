package parley.peer.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static parley.peer.e2e.WiresharkBodiesTest.IV;
import static parley.peer.e2e.WiresharkBodiesTest.KEY;
import static parley.peer.e2e.WiresharkBodiesTest.OTHER;
import static parley.peer.e2e.WiresharkBodiesTest.PEER;
import static parley.peer.e2e.WiresharkBodiesTest.SID;
import static parley.peer.e2e.WiresharkBodiesTest.fields;
import static parley.peer.e2e.WiresharkBodiesTest.message;
import static parley.peer.e2e.WiresharkBodiesTest.seal;

/**
 * The dissector on the two AEADs of the peer channel (PROTOCOL.md 9.2): a datagram whose flags
 * byte is 0x01 opens with AES-256-GCM under the key of the key log's PARLEY_PEER_GCM_KEY line
 * (same IV, same nonce rule as ChaCha20-Poly1305), its frames and chat message decode, the tree
 * names the AEAD and the tag; SUITES (0x0C) decodes bit by bit; any other flags value is
 * malformed, a tampered AES datagram fails its tag, a session without a GCM key line stays
 * sealed with the reason, and a SUITES that does not travel alone in ChaCha is flagged. Built
 * byte by byte from the spec, sealed by the JDK, read by tshark.
 */
class WiresharkAeadTest {
    static final int DATA = 2;
    static final int CONTROL = 3;
    static final byte[] GCM_KEY = HexFormat.of().parseHex("a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf");
    static final long NO_GCM_SID = 0x0102030405060708L;

    @TempDir
    Path dir;

    /**
     * Every datagram of docs/vectors/datagrams.json, in a pcap, with a key log of the lo side's keys
     * for the session id they carry (PROTOCOL.md 11, 12): each opens in the dissector, with the AEAD
     * its flags byte names (gcm_* with lo_gcm_key), and none fails its tag or breaks the dissector.
     */
    @Test
    void everyVectorDatagramOpensInTheDissectorWithItsAead() throws Exception {
        Tshark.ensureInstalled();
        HexFormat hex = HexFormat.of();
        String keysJson = Files.readString(Tshark.ROOT.resolve("docs/vectors/peer-keys.json"));
        String datagrams = Files.readString(Tshark.ROOT.resolve("docs/vectors/datagrams.json"));
        PcapWriter pcap = new PcapWriter();
        List<String> names = new ArrayList<>();
        List<String> want = new ArrayList<>(); // per datagram: decrypted, AEAD
        String sid = null;
        Matcher m = Pattern.compile("\"([a-z_]+)\\.datagram\": \"([0-9a-f]+)\"").matcher(datagrams);
        while (m.find()) {
            byte[] datagram = hex.parseHex(m.group(2));
            pcap.udp(OTHER, 40002, PEER, 40001, datagram);
            names.add(m.group(1));
            want.add("1\t" + (m.group(1).startsWith("gcm") ? "0x01" : "0x00"));
            sid = hex.formatHex(Arrays.copyOfRange(datagram, 12, 20));
        }
        assertThat(names).contains("gcm_stream", "suites");
        Path file = dir.resolve("vectors.pcap");
        pcap.write(file);
        Path keys = dir.resolve("keys.log");
        Files.writeString(keys, "PARLEY_PEER_KEY " + sid + " " + json(keysJson, "lo_key") + " " + json(keysJson, "lo_iv") + "\n"
                + "PARLEY_PEER_GCM_KEY " + sid + " " + json(keysJson, "lo_gcm_key") + "\n");
        List<String> base = List.of("-o", "parley.keylog:" + keys, "-o", "udp.try_heuristic_first:TRUE", "-r", file.toString());
        assertThat(fields(base, "parley", "parley.decrypted", "parley.aead")).as("%s", names).containsExactlyElementsOf(want);
        assertThat(fields(base, "parley.frame.type == SUITES && parley.suites.aes_256_gcm == 1", "frame.number")).hasSize(1);
        // (the vectors' stream bytes, "hello, bob" behind a length prefix, are no chat payload: the
        // message is flagged at kind 'h', so only the datagram level is checked here)
        assertThat(fields(base, "parley.suites_rule || parley.auth_failed || _ws.lua.error || _ws.malformed.expert", "frame.number"))
                .isEmpty();
    }

    private static String json(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\": \"([0-9a-f]+)\"").matcher(json);
        assertThat(m.find()).as(name).isTrue();
        return m.group(1);
    }

    @Test
    void aesSealedDatagramsOpenWithTheGcmKeyAndSuitesDecodes() throws Exception {
        Tshark.ensureInstalled();
        PcapWriter pcap = new PcapWriter();
        byte[] text = message(new Wire().u8(0x01).i64(7).i64(1_796_000_000_000L).raw("sealed with aes".getBytes()).bytes());
        byte[] stream = new Wire().u8(0x01).i64(0).u16(text.length).raw(text).bytes();
        pcap.udp(OTHER, 40002, PEER, 40001, seal(CONTROL, 0x41, 0, new byte[]{0x0C, 0x01}));                 // 1 SUITES gcm
        pcap.udp(OTHER, 40002, PEER, 40001, seal(0x01, GCM_KEY, SID, DATA, 0x40, 1, stream));               // 2 AES: text
        pcap.udp(OTHER, 40002, PEER, 40001, seal(CONTROL, 0x41, 2, new byte[]{0x0C, (byte) 0x82}));         // 3 SUITES, reserved bits
        byte[] tampered = seal(0x01, GCM_KEY, SID, CONTROL, 0x41, 3, new byte[]{0x03});
        tampered[tampered.length - 1] ^= 1;
        pcap.udp(OTHER, 40002, PEER, 40001, tampered);                                                      // 4 AES, bad tag
        byte[] twoFlags = seal(CONTROL, 0x41, 4, new byte[]{0x03});
        twoFlags[3] = 0x02;
        pcap.udp(OTHER, 40002, PEER, 40001, twoFlags);                                                      // 5 flags 0x02
        pcap.udp(OTHER, 40002, PEER, 40001, seal(0x01, GCM_KEY, NO_GCM_SID, CONTROL, 0x41, 5, new byte[]{0x03})); // 6 no GCM key
        pcap.udp(OTHER, 40002, PEER, 40001, seal(0x01, GCM_KEY, SID, CONTROL, 0x41, 6, new byte[]{0x0C, 0x01, 0x03})); // 7 SUITES in AES
        byte[] highFlags = seal(CONTROL, 0x41, 7, new byte[]{0x03});
        highFlags[3] = (byte) 0x80;
        pcap.udp(OTHER, 40002, PEER, 40001, highFlags);                                                     // 8 flags 0x80
        Path file = dir.resolve("aead.pcap");
        pcap.write(file);
        Path keys = dir.resolve("keys.log");
        HexFormat hex = HexFormat.of();
        Files.writeString(keys, "PARLEY_PEER_KEY " + hex.toHexDigits(SID) + " " + hex.formatHex(KEY) + " " + hex.formatHex(IV) + "\n"
                + "PARLEY_PEER_KEY " + hex.toHexDigits(NO_GCM_SID) + " " + hex.formatHex(KEY) + " " + hex.formatHex(IV) + "\n"
                + "PARLEY_PEER_GCM_KEY " + hex.toHexDigits(SID) + " " + hex.formatHex(GCM_KEY) + "\n");
        List<String> base = List.of("-o", "parley.keylog:" + keys, "-o", "udp.try_heuristic_first:TRUE", "-r", file.toString());

        assertThat(fields(base, "parley.decrypted == 1", "frame.number", "parley.aead", "parley.frame.type"))
                .containsExactly("1\t0x00\t0x0c", "2\t0x01\t0x01", "3\t0x00\t0x0c", "7\t0x01\t0x0c|0x03");
        assertThat(fields(base, "parley.chat.text", "frame.number", "parley.chat.text", "parley.message.frames"))
                .containsExactly("2\tsealed with aes\t2");
        assertThat(fields(base, "parley.suites.mask", "frame.number", "parley.suites.aes_256_gcm", "parley.suites.reserved"))
                .containsExactly("1\t1\t0x00", "3\t0\t0x41", "7\t1\t0x00");
        assertThat(fields(base, "parley.auth_failed", "frame.number", "parley.aead")).containsExactly("4\t0x01");
        // (flags 0x80 too: the heuristic lets a peer datagram with any flags through, to be flagged)
        assertThat(fields(base, "parley.malformed", "frame.number", "_ws.expert.message"))
                .containsExactly("5\tflags 0x02 name no AEAD (0x00 ChaCha20-Poly1305, 0x01 AES-256-GCM): dropped and counted as malformed",
                        "8\tflags 0x80 name no AEAD (0x00 ChaCha20-Poly1305, 0x01 AES-256-GCM): dropped and counted as malformed");
        assertThat(fields(base, "parley.undecrypted", "frame.number", "_ws.expert.message"))
                .containsExactly("6\tno AES-256-GCM key for session 0102030405060708 (no PARLEY_PEER_GCM_KEY line in the key log)");
        assertThat(fields(base, "parley.suites_rule", "frame.number")).containsExactly("7");
        // The tree names the AEAD and the tag after it.
        List<String> tree = Tshark.tshark(List.of("-o", "parley.keylog:" + keys, "-o", "udp.try_heuristic_first:TRUE",
                "-r", file.toString(), "-Y", "frame.number == 2", "-V"));
        String all = String.join("\n", tree);
        assertThat(all).contains("AEAD: AES-256-GCM (0x01)").contains("GCM tag: ").contains("Parley Protocol, PEER_DATA, pn 1, AES-256-GCM")
                .doesNotContain("Poly1305");
        assertThat(fields(base, "_ws.lua.error || _ws.malformed.expert", "frame.number")).isEmpty();
    }
}
