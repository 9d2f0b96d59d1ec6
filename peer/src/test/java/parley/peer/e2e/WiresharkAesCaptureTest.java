package parley.peer.e2e;

import org.junit.jupiter.api.Test;
import parley.peer.core.PeerConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dissector on a real capture of a file transfer between two peers with a key log, on
 * loopback, with path-MTU probing on (PROTOCOL.md 9.8): both sides offer AES-256-GCM with SUITES
 * (9.3), so the big bulk datagrams go sealed with it (flags 0x01, 9.2), opened from the key log's
 * PARLEY_PEER_GCM_KEY lines. tshark with the dissector must show both SUITES, at least one
 * AES-sealed datagram decrypted with its BULK frames and a FILE_CHUNK reassembled from them, and
 * nothing undecrypted, failing its tag, malformed, or breaking the dissector. The capture and key
 * log are left in target/wireshark/ (parley-aes.pcapng, parley-aes-keys.log).
 */
class WiresharkAesCaptureTest extends PeerFixture {
    private static final int FILE_SIZE = 1 << 20;

    @Test
    void bulkDatagramsSealedWithAesGcmOpenFromTheKeyLog() throws Exception {
        Tshark.ensureInstalled();
        Path keyLog = dir.resolve("parley-keys.log");
        PeerConfig ca = config("amy");
        ca.keyLog = keyLog;
        PeerConfig cb = config("bob");
        cb.keyLog = keyLog;
        TestPeer amy = peer(ca);
        TestPeer bob = peer(cb);
        Path pcap = dir.resolve("aes.pcapng");
        LoopbackCapture capture = new LoopbackCapture(pcap, "udp port " + amy.udpPort() + " or udp port " + bob.udpPort());
        try (capture) {
            amy.signUp();
            bob.signUp();
            DeliveryTest.befriend(amy, bob);
            byte[] data = new byte[FILE_SIZE];
            new Random(256).nextBytes(data);
            Path file = Files.write(dir.resolve("payload.bin"), data);
            amy.cmd("/send bob " + file);
            String id = bob.await("file_offer").string("transfer");
            bob.cmd("/accept file " + id);
            bob.await("file_received");
            amy.cmd("/msg bob after the file");
            bob.await("message", "text", "after the file");
            capture.stopWhen(base(keyLog), "parley.chat.text == \"after the file\"");
        }
        keep(pcap, keyLog);

        // One pass of the dissector for what it shows (each pass decrypts the whole capture in Lua).
        List<String[]> rows = new ArrayList<>();
        for (String line : fields(pcap, base(keyLog), "parley.decrypted == 1", "udp.srcport", "parley.aead",
                "parley.frame.type", "parley.chat.kind", "parley.suites.aes_256_gcm")) {
            rows.add(line.split("\t", -1));
        }
        // Both sides offered AES-256-GCM, each in a SUITES of its own, sealed with ChaCha20-Poly1305.
        assertThat(rows.stream().filter(r -> r[1].equals("0x00") && r[4].equals("1")).map(r -> r[0]))
                .contains(String.valueOf(amy.udpPort()), String.valueOf(bob.udpPort()));
        // The big bulk datagrams went sealed with AES-256-GCM and opened from the key log's GCM keys:
        // their BULK frames (0x09) decode, and a FILE_CHUNK (0x13) is put back together from them.
        List<String[]> aes = rows.stream().filter(r -> r[1].equals("0x01")).toList();
        assertThat(aes).anyMatch(r -> r[2].contains("0x09"));
        assertThat(aes).anyMatch(r -> r[3].contains("0x13"));
        assertThat(fields(pcap, base(keyLog), "parley.undecrypted || parley.auth_failed || parley.malformed || parley.suites_rule || _ws.lua.error"
                + " || _ws.malformed.expert || _ws.malformed.dissector_bug", "frame.number")).isEmpty();
    }

    /** Leaves the capture and key log in target/wireshark/ for a person to open (docs/WIRESHARK.md). */
    private static void keep(Path pcap, Path keyLog) throws Exception {
        Path out = Path.of("target", "wireshark");
        Files.createDirectories(out);
        Files.copy(pcap, out.resolve("parley-aes.pcapng"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(keyLog, out.resolve("parley-aes-keys.log"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static List<String> base(Path keyLog) {
        return List.of("-o", "parley.keylog:" + keyLog, "-o", "udp.try_heuristic_first:TRUE");
    }

    private static List<String> fields(Path pcap, List<String> base, String filter, String... fields) throws Exception {
        List<String> args = new ArrayList<>(base);
        args.addAll(List.of("-r", pcap.toString()));
        return WiresharkBodiesTest.fields(args, filter, fields);
    }
}
