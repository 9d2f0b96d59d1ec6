package parley.peer.core;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The implementation against docs/vectors/chat-payload.json (PROTOCOL.md section 9.3.1). */
class ChatPayloadVectorsTest {
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":\\s*(?:\"([^\"]*)\"|(-?\\d+))");
    private static final HexFormat HEX = HexFormat.of();

    /** The file keeps one vector per line: each line's fields, by section. */
    private static Map<String, List<Map<String, String>>> load() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("..", "docs", "vectors", "chat-payload.json"), StandardCharsets.UTF_8);
        Map<String, List<Map<String, String>>> out = new HashMap<>();
        String section = null;
        for (String line : lines) {
            String t = line.trim();
            if (t.endsWith("[")) {
                section = t.substring(1, t.indexOf('"', 1));
                out.put(section, new java.util.ArrayList<>());
            } else if (t.startsWith("{\"") && section != null) {
                Map<String, String> f = new HashMap<>();
                Matcher m = FIELD.matcher(t);
                while (m.find()) {
                    f.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
                }
                out.get(section).add(f);
            }
        }
        return out;
    }

    @Test
    void encodesAndDecodesEveryValidVector() throws Exception {
        List<Map<String, String>> valid = load().get("valid");
        assertThat(valid).hasSize(3);
        for (Map<String, String> v : valid) {
            long id = Long.parseLong(v.get("id"));
            long sentAt = Long.parseLong(v.get("sent_at"));
            String text = new String(HEX.parseHex(v.get("text_hex")), StandardCharsets.UTF_8);
            byte[] wire = HEX.parseHex(v.get("hex"));
            assertThat(HEX.formatHex(ChatPayload.encode(id, sentAt, text))).as(v.get("name")).isEqualTo(v.get("hex"));
            ChatPayload p = ChatPayload.decode(wire);
            assertThat(p).as(v.get("name")).isNotNull();
            assertThat(p.id).isEqualTo(id);
            assertThat(p.sentAt).isEqualTo(sentAt);
            assertThat(p.text).isEqualTo(text);
            assertThat(ChatPayload.check(wire, ChatPayload.MAX_TEXT)).isZero();
        }
    }

    @Test
    void rejectsEveryMalformedVectorAndSizesAsListed() throws Exception {
        Map<String, List<Map<String, String>>> all = load();
        assertThat(all.get("malformed")).hasSize(6);
        for (Map<String, String> v : all.get("malformed")) {
            assertThat(ChatPayload.check(HEX.parseHex(v.get("hex")), ChatPayload.MAX_TEXT)).as(v.get("name"))
                    .isEqualTo(Integer.parseInt(v.get("reject")));
        }
        assertThat(all.get("size")).hasSize(2);
        for (Map<String, String> v : all.get("size")) {
            String text = "x".repeat(Integer.parseInt(v.get("text_repeat_count")));
            assertThat(ChatPayload.check(ChatPayload.encode(5, 6, text), ChatPayload.MAX_TEXT)).as(v.get("name"))
                    .isEqualTo(Integer.parseInt(v.get("reject")));
        }
        assertThat(ChatPayload.REJECT_MALFORMED).isEqualTo(1);
        assertThat(ChatPayload.REJECT_TOO_LARGE).isEqualTo(2);
    }

    /** The reject reasons of PROTOCOL.md section 9.3.1 and the code's must be the same. */
    @Test
    void rejectReasonsMatchTheSpec() throws Exception {
        String text = Files.readString(Path.of("..", "docs", "PROTOCOL.md"), StandardCharsets.UTF_8);
        int at = text.indexOf("### 9.3.1 The chat payload");
        assertThat(at).as("PROTOCOL.md has section 9.3.1").isPositive();
        String section = text.substring(at, text.indexOf("\n### ", at + 1));
        Map<Integer, String> spec = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^\\|\\s*(\\d+)\\s*\\|\\s*([A-Z_]+)\\s*\\|").matcher(section);
        while (m.find()) {
            spec.put(Integer.parseInt(m.group(1)), m.group(2));
        }
        assertThat(spec).isEqualTo(Map.of(ChatPayload.REJECT_MALFORMED, "MALFORMED", ChatPayload.REJECT_TOO_LARGE, "TOO_LARGE",
                ChatPayload.REJECT_NOT_MEMBER, "NOT_MEMBER"));
    }
}
