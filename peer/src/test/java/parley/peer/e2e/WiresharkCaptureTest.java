package parley.peer.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.peer.core.PeerConfig;

import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dissector (tools/wireshark/parley.lua) on a real capture: a plaintext registry and two
 * peers with a key log, on loopback, captured by dumpcap with a filter on the test's own ports;
 * register, log in, become contacts, an error, a short chat message and one that spans several
 * datagrams; then a raw registry client that sends frames with known correlation ids (two in one
 * segment, one split across two) and a broken header, and a datagram whose length field lies.
 * tshark with the dissector must then show the opcodes and correlation ids sent, whole frames,
 * linked answers, the decrypted texts, and the malformed ones flagged.
 */
class WiresharkCaptureTest {
    static final int WHO = 0x15;
    static final int LOGOUT = 0x13;
    static final int LOGIN_START = 0x11;
    static final String CLIENT_FIRST = "n,,n=nobody,r=abcdefghijklmnopqrstuvwx";
    static final String SHORT_TEXT = "hi bob, can you read this in Wireshark";

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception ignored) {
                // best effort after a failed test
            }
        }
    }

    private <T extends AutoCloseable> T track(T t) {
        open.add(t);
        return t;
    }

    private PeerConfig config(TestRegistry registry, String name, Path keyLog) {
        PeerConfig c = TestPeer.config(name, registry.address(), dir.resolve(name));
        c.registryUdpPort = registry.udpPort();
        c.insecurePlaintext = true;
        c.serverFingerprint = null;
        c.keyLog = keyLog;
        c.maxDatagram = 1200; // no path-MTU probing (PROTOCOL.md 9.8): the long text must span datagrams
        return c;
    }

    /** A text over one datagram's 1,200 bytes: the stream carries it in several STREAM frames. */
    static String longText() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; b.length() < 3000; i++) {
            b.append("fragment-").append(i).append(' ');
        }
        return b.toString().trim();
    }

    static byte[] frame(int cls, int opcode, int flags, int correlation, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(12 + body.length);
        b.put((byte) 1).put((byte) cls).put((byte) opcode).put((byte) flags).putInt(correlation).putInt(body.length).put(body);
        return b.array();
    }

    static byte[] str(String s) {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + u.length).putShort((short) u.length).put(u).array();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void tsharkWithTheDissectorShowsWhatWasSentDecryptsTheChatAndFlagsMalformedPackets() throws Exception {
        Tshark.ensureInstalled();
        TestRegistry registry = track(new TestRegistry(dir.resolve("registry"), c -> c.tls = null));
        Path keyLog = dir.resolve("parley-keys.log");
        TestPeer amy = track(TestPeer.start(config(registry, "amy", keyLog)));
        TestPeer bob = track(TestPeer.start(config(registry, "bob", keyLog)));
        assertThat(amy.await("info").string("message")).startsWith("WARNING: key log on");
        int tcp = registry.address().getPort();
        String filter = "tcp port " + tcp + " or udp port " + registry.udpPort() + " or udp port " + amy.udpPort()
                + " or udp port " + bob.udpPort();
        Path pcap = dir.resolve("parley.pcapng");
        LoopbackCapture capture = track(new LoopbackCapture(pcap, filter));

        amy.signUp();
        bob.signUp();
        amy.cmd("/add bob");
        bob.await("contact_request", "from", "amy");
        bob.cmd("/accept amy");
        amy.await(e -> e.type().equals("contact") && "bob".equals(e.get("user")) && "accepted".equals(e.get("change")));
        amy.cmd("/add nobody_here");
        amy.await("error");
        amy.cmd("/msg bob " + SHORT_TEXT);
        bob.await("message", "text", SHORT_TEXT);
        String longText = longText();
        amy.cmd("/msg bob " + longText);
        bob.await("message", "text", longText);

        try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            // A PEER_DATA header whose body length says 999 when 30 bytes follow.
            byte[] lying = concat(ByteBuffer.allocate(12).put((byte) 1).put((byte) 2).put((byte) 0x40).put((byte) 0)
                    .putInt(5).putInt(999).array(), new byte[30]);
            udp.send(new DatagramPacket(lying, lying.length, new InetSocketAddress("127.0.0.1", (int) bob.udpPort())));
        }
        try (Socket raw = new Socket()) {
            raw.setTcpNoDelay(true);
            raw.connect(registry.address());
            OutputStream out = raw.getOutputStream();
            out.write(concat(frame(1, WHO, 0, 0x0A0B0C03, new byte[0]), frame(1, LOGOUT, 0, 0x0A0B0C04, new byte[0])));
            out.flush();
            byte[] login = frame(1, LOGIN_START, 0, 0x0A0B0C02, str(CLIENT_FIRST));
            out.write(login, 0, 7);
            out.flush();
            Thread.sleep(100); // two segments: the first ends inside the header
            out.write(login, 7, login.length - 7);
            out.flush();
            Thread.sleep(100);
            out.write(frame(9, WHO, 0, 0x0A0B0C05, new byte[0])); // class 9: MALFORMED_HEADER
            out.flush();
            raw.getInputStream().readAllBytes(); // the registry answers and closes
        }
        List<String> base = List.of("-o", "parley.keylog:" + keyLog, "-o", "tcp.try_heuristic_first:TRUE",
                "-o", "udp.try_heuristic_first:TRUE");
        capture.stopWhen(base, "parley.error == 2");
        keep(pcap, keyLog);

        // The raw client's frames: opcodes and correlation ids as sent, two in one segment.
        List<String> both = fields(base, "parley.correlation == 0x0a0b0c03 && parley.flags.response == 0", "frame.number", "parley.opcode", "parley.correlation");
        assertThat(both).hasSize(1);
        assertThat(both.get(0)).contains("0x15|0x13").contains("0x0a0b0c03|0x0a0b0c04");
        // Split across two segments, shown once, whole, in the segment that completes it.
        List<String> login = fields(base, "parley.opcode == LOGIN_START && parley.correlation == 0x0a0b0c02 && parley.flags.response == 0",
                "frame.number", "parley.scram", "tcp.segment.count");
        assertThat(login).hasSize(1);
        String[] lf = login.get(0).split("\t");
        assertThat(lf[1]).isEqualTo(CLIENT_FIRST);
        assertThat(lf[2]).isEqualTo("2");
        // Its answer links back to it, with the request's opcode and a response time.
        List<String> answer = fields(base, "parley.correlation == 0x0a0b0c02 && parley.flags.response == 1",
                "parley.response_to", "parley.request_opcode", "parley.time");
        assertThat(answer).hasSize(1);
        String[] af = answer.get(0).split("\t");
        assertThat(af[0]).isEqualTo(lf[0]);
        assertThat(af[1]).isEqualTo("0x11");
        assertThat(af[2]).isNotEmpty();
        // The broken header is flagged, and the registry's ERROR names it.
        assertThat(fields(base, "parley.malformed && tcp && parley.class == 9", "frame.number")).hasSize(1);
        assertThat(fields(base, "parley.error == MALFORMED_HEADER", "frame.number")).hasSize(1);

        // The peers' registry traffic, by name: both registered and logged in; the error linked.
        assertThat(fields(base, "parley.opcode == REGISTER && parley.flags.response == 0", "parley.user"))
                .containsExactlyInAnyOrder("amy", "bob");
        // (a push may share the answer's segment, so the users of every message there are listed)
        assertThat(String.join("|", fields(base, "parley.opcode == LOGIN_FINISH && parley.flags.response == 1", "parley.user"))
                .split("\\|")).contains("amy", "bob");
        List<String> request = fields(base, "parley.opcode == CONTACT_REQUEST && parley.user == \"nobody_here\"",
                "frame.number", "parley.correlation");
        assertThat(request).hasSize(1);
        String[] rq = request.get(0).split("\t");
        assertThat(fields(base, "parley.error == NO_SUCH_USER && parley.response_to == " + rq[0] + " && parley.correlation == "
                + rq[1] + " && parley.request_opcode == CONTACT_REQUEST", "frame.number")).hasSize(1);
        assertThat(fields(base, "parley.contact_event == requested", "parley.user")).containsExactly("amy");
        assertThat(String.join("|", fields(base, "parley.contact_event == accepted", "parley.user")).split("\\|")).contains("bob");

        // The peer channel, decrypted from the key log: the texts exactly as sent.
        assertThat(fields(base, "parley.chat.text contains \"hi\"", "parley.chat.text")).containsExactly(SHORT_TEXT);
        List<String> big = fields(base, "parley.chat.text contains \"fragment-0 \"", "parley.chat.text", "parley.message.frames");
        assertThat(big).hasSize(1);
        assertThat(big.get(0).split("\t")[0]).isEqualTo(longText);
        assertThat(big.get(0).split("\t")[1]).contains(",");
        assertThat(fields(base, "parley.chat.kind == AUTH", "frame.number")).hasSize(2);
        assertThat(fields(base, "parley.frame.type == ACK && parley.decrypted", "frame.number")).isNotEmpty();
        assertThat(fields(base, "parley.auth_failed", "frame.number")).isEmpty();
        // The lying datagram is flagged, and found by the heuristic on a dynamic port.
        assertThat(fields(base, "parley.malformed && udp.dstport == " + bob.udpPort(), "parley.packet_number"))
                .containsExactly("5");
        // Everything else the peers and the registry sent decodes without a complaint.
        assertThat(fields(base, "parley.malformed", "frame.number")).hasSize(2);
        // No packet of the capture made the dissector itself fail.
        assertThat(fields(base, "_ws.lua.error", "frame.number")).isEmpty();
        assertThat(fields(base, "_ws.malformed.expert || _ws.malformed.dissector_bug", "frame.number")).isEmpty();

        // Without the key log, nothing is decrypted and the datagrams say why.
        List<String> noKeys = List.of("-o", "tcp.try_heuristic_first:TRUE", "-o", "udp.try_heuristic_first:TRUE");
        assertThat(fields(noKeys, "parley.chat.text", "frame.number")).isEmpty();
        assertThat(fields(noKeys, "parley.undecrypted", "frame.number")).isNotEmpty();
    }

    private List<String> fields(List<String> base, String filter, String... fields) throws Exception {
        List<String> args = new ArrayList<>(base);
        args.addAll(List.of("-r", dir.resolve("parley.pcapng").toString(), "-Y", filter, "-T", "fields",
                "-E", "occurrence=a", "-E", "aggregator=|"));
        for (String f : fields) {
            args.add("-e");
            args.add(f);
        }
        return Tshark.tshark(args);
    }

    /** Leaves the capture and key log in target/ for a person to open (docs/WIRESHARK.md). */
    private static void keep(Path pcap, Path keyLog) throws Exception {
        Path out = Path.of("target", "wireshark");
        Files.createDirectories(out);
        Files.copy(pcap, out.resolve("parley.pcapng"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(keyLog, out.resolve("parley-keys.log"), StandardCopyOption.REPLACE_EXISTING);
    }
}
