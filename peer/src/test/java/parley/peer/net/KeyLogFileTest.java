package parley.peer.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.crypto.SessionKeys;
import parley.core.crypto.X25519KeyPair;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The key log writes exactly the lines of PROTOCOL.md section 12, for the session of peer-keys.json. */
class KeyLogFileTest {
    @TempDir
    Path dir;

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\\s*\"?([-0-9a-f]+)\"?").matcher(json);
        assertThat(m.find()).as(name).isTrue();
        return m.group(1);
    }

    /** The four example lines of PROTOCOL.md section 12 (two key lines, then two GCM key lines), as the spec prints them. */
    private static List<String> specExample() throws Exception {
        String spec = Files.readString(Path.of("..", "docs", "PROTOCOL.md"));
        String section = spec.substring(spec.indexOf("## 12. Key log format"));
        List<String> lines = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^(PARLEY_PEER_KEY [0-9a-f]{16} [0-9a-f]{64} [0-9a-f]{24}|PARLEY_PEER_GCM_KEY [0-9a-f]{16} [0-9a-f]{64})$")
                .matcher(section);
        while (m.find()) {
            lines.add(m.group());
        }
        return lines;
    }

    @Test
    void eachSideWritesBothDirectionsAsTheSpecSaysAndAppends() throws Exception {
        String json = Files.readString(Path.of("..", "docs", "vectors", "peer-keys.json"));
        HexFormat hex = HexFormat.of();
        X25519KeyPair a = X25519KeyPair.fromPrivate(hex.parseHex(field(json, "a_private")));
        X25519KeyPair b = X25519KeyPair.fromPrivate(hex.parseHex(field(json, "b_private")));
        long aId = Long.parseLong(field(json, "a_session_id"));
        long bId = Long.parseLong(field(json, "b_session_id"));
        Path file = dir.resolve("keys.log");
        List<String> failures = new ArrayList<>();

        KeyLogFile aLog = new KeyLogFile(file, "a", failures::add);
        aLog.sessionOpened(aId, bId, SessionKeys.derive(a, aId, b.publicKey(), bId));
        aLog.close();
        List<String> example = specExample();
        assertThat(example).hasSize(4);
        assertThat(example.get(2)).startsWith("PARLEY_PEER_GCM_KEY " + hex.toHexDigits(bId) + " " + field(json, "lo_gcm_key"));
        assertThat(example.get(3)).startsWith("PARLEY_PEER_GCM_KEY " + hex.toHexDigits(aId) + " " + field(json, "hi_gcm_key"));
        assertThat(Files.readAllLines(file)).isEqualTo(example);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        KeyLogFile bLog = new KeyLogFile(file, "b", failures::add);
        bLog.sessionOpened(bId, aId, SessionKeys.derive(b, bId, a.publicKey(), aId));
        bLog.close();
        assertThat(Files.readAllLines(file)).containsExactly(example.get(0), example.get(1), example.get(2), example.get(3),
                example.get(1), example.get(0), example.get(3), example.get(2));
        assertThat(failures).isEmpty();
    }
}
