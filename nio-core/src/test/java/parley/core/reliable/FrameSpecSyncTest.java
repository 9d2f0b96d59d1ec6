package parley.core.reliable;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/PROTOCOL.md section 9.3 and the code must name the same peer-channel frame types. */
class FrameSpecSyncTest {
    private static final Pattern ROW = Pattern.compile("(?m)^\\|\\s*0x([0-9A-Fa-f]{2})\\s*\\|\\s*([A-Z_]+)\\s*\\|");

    @Test
    void everyFrameTypeInTheCodeIsInTheSpecAndTheOtherWayRound() throws Exception {
        String text = Files.readString(Path.of("..", "docs", "PROTOCOL.md"));
        int at = text.indexOf("### 9.3 Frames");
        assertThat(at).as("PROTOCOL.md has section 9.3").isPositive();
        String section = text.substring(at + 1);
        section = section.substring(0, section.indexOf("\n### "));
        Map<Integer, String> spec = new TreeMap<>();
        Matcher m = ROW.matcher(section);
        while (m.find()) {
            spec.put(Integer.parseInt(m.group(1), 16), m.group(2));
        }
        Map<Integer, String> code = new TreeMap<>(Map.of(
                Frames.STREAM, "STREAM", Frames.ACK, "ACK", Frames.PING, "PING", Frames.CLOSE, "CLOSE",
                Frames.REJECT, "REJECT", Frames.PATH_CHALLENGE, "PATH_CHALLENGE", Frames.PATH_RESPONSE, "PATH_RESPONSE",
                Frames.PADDING, "PADDING"));
        code.put(Frames.BULK, "BULK");
        code.put(Frames.BULK_WINDOW, "BULK_WINDOW");
        code.put(Frames.SUITES, "SUITES");
        assertThat(spec).as("frame types in docs/PROTOCOL.md section 9.3 vs the code").isEqualTo(code);
    }
}
