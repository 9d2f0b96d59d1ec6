package parley.server.protocol;

import org.junit.jupiter.api.Test;
import parley.core.wire.BodyWriter;
import parley.core.wire.Header;
import parley.core.wire.MessageClass;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * UDP_PROBE and PROBE_CONFIRM against docs/vectors/probe.json, which generate.py wrote from
 * PROTOCOL.md section 7.2 alone: the datagrams we build, byte for byte, and the MACs we accept.
 * {@link ProbeMac}'s hand-written HMAC is also checked against the JDK's {@code Mac}.
 */
class ProbeVectorsTest {
    private static final Pattern ENTRY = Pattern.compile("\"([\\w.]+)\"\\s*:\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|(-?\\d+))");

    private static Map<String, String> load() throws Exception {
        Path file = Path.of("..", "docs", "vectors", "probe.json");
        Map<String, String> v = new HashMap<>();
        Matcher m = ENTRY.matcher(Files.readString(file, StandardCharsets.UTF_8));
        while (m.find()) {
            v.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
        }
        return v;
    }

    private static byte[] hex(Map<String, String> v, String key) {
        return HexFormat.of().parseHex(v.get(key));
    }

    private static long num(Map<String, String> v, String key) {
        return Long.parseLong(v.get(key));
    }

    private static byte[] bytes(ByteBuffer b, int length) {
        byte[] out = new byte[length];
        b.get(0, out);
        return out;
    }

    @Test
    void aProbeIsBuiltAndCheckedAsTheVectorSays() throws Exception {
        Map<String, String> v = load();
        byte[] key = hex(v, "probe_key");
        ByteBuffer d = ByteBuffer.allocate(Header.LENGTH + UdpProbe.BODY_BYTES);
        new Header().wrap(d, 0).set(MessageClass.CONTROL, RegistryOpcodes.UDP_PROBE, 0, (int) num(v, "probe_correlation"), UdpProbe.BODY_BYTES);
        UdpProbe.write(new BodyWriter().wrap(d, Header.LENGTH), num(v, "probe_id"), num(v, "probe_counter"));
        ProbeMac mac = new ProbeMac();
        mac.seal(key, d, 0, UdpProbe.MAC_AT);
        assertThat(HexFormat.of().formatHex(bytes(d, d.capacity()))).isEqualTo(v.get("probe_datagram"));
        assertThat(mac.verify(key, ByteBuffer.wrap(hex(v, "probe_datagram")), 0, UdpProbe.MAC_AT)).isTrue();
    }

    @Test
    void aConfirmationIsBuiltAndCheckedAsTheVectorSays() throws Exception {
        Map<String, String> v = load();
        byte[] key = hex(v, "probe_key");
        ByteBuffer challenge = ByteBuffer.wrap(hex(v, "challenge"));
        ByteBuffer d = ByteBuffer.allocate(Header.LENGTH + ProbeConfirm.BODY_BYTES);
        new Header().wrap(d, 0).set(MessageClass.CONTROL, RegistryOpcodes.PROBE_CONFIRM, 0, (int) num(v, "confirm_correlation"),
                ProbeConfirm.BODY_BYTES);
        ProbeConfirm.write(new BodyWriter().wrap(d, Header.LENGTH), num(v, "probe_id"), num(v, "confirm_counter"),
                challenge.getLong(0), challenge.getLong(8));
        new ProbeMac().seal(key, d, 0, ProbeConfirm.MAC_AT);
        assertThat(HexFormat.of().formatHex(bytes(d, d.capacity()))).isEqualTo(v.get("confirm_datagram"));
        ByteBuffer tampered = ByteBuffer.wrap(hex(v, "confirm_datagram"));
        tampered.put(Header.LENGTH + 16, (byte) (tampered.get(Header.LENGTH + 16) ^ 1)); // another challenge
        assertThat(new ProbeMac().verify(key, tampered, 0, ProbeConfirm.MAC_AT)).isFalse();
    }

    @Test
    void theMacIsHmacSha256TruncatedAtAnyOffset() throws Exception {
        Random random = new Random(18);
        ProbeMac probeMac = new ProbeMac();
        Mac jdk = Mac.getInstance("HmacSHA256");
        for (int i = 0; i < 50; i++) {
            byte[] key = new byte[ProbeMac.KEY_BYTES];
            random.nextBytes(key);
            int start = random.nextInt(8);
            int length = random.nextInt(100);
            ByteBuffer d = ByteBuffer.allocateDirect(start + length + ProbeMac.MAC_BYTES);
            byte[] input = new byte[length];
            random.nextBytes(input);
            d.put(start, input);
            probeMac.seal(key, d, start, start + length);
            jdk.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] expected = Arrays.copyOf(jdk.doFinal(input), ProbeMac.MAC_BYTES);
            byte[] got = new byte[ProbeMac.MAC_BYTES];
            d.get(start + length, got);
            assertThat(got).isEqualTo(expected);
        }
    }
}
