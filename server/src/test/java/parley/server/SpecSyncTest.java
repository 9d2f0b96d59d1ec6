package parley.server;

import org.junit.jupiter.api.Test;
import parley.core.wire.MessageClass;
import parley.server.protocol.RegistryOpcodes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/PROTOCOL.md and the code must name the same opcodes, with the same classes. */
class SpecSyncTest {
    private static final Pattern ROW = Pattern.compile("^\\|\\s*0x([0-9A-Fa-f]{2})\\s*\\|\\s*([A-Z_]+)\\s*\\|\\s*(COMMAND|DATA|CONTROL)\\s*\\|");

    static Map<Integer, String> specOpcodes() throws Exception {
        Path spec = Path.of("..", "docs", "PROTOCOL.md");
        String text = Files.readString(spec);
        int table = text.indexOf("## 10. Opcode table");
        assertThat(table).as("PROTOCOL.md has its opcode table").isPositive();
        Map<Integer, String> rows = new TreeMap<>();
        for (String line : text.substring(table).split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                rows.put(Integer.parseInt(m.group(1), 16), m.group(2) + " " + m.group(3));
            }
        }
        return rows;
    }

    static Map<Integer, String> codeOpcodes() {
        Map<Integer, String> code = new TreeMap<>();
        for (int op : RegistryOpcodes.all()) {
            code.put(op, RegistryOpcodes.name(op) + " " + MessageClass.name(RegistryOpcodes.classOf(op)));
        }
        return code;
    }

    /** Rows "| code | NAME |" of the spec's section between {@code from} and the next "###" or "##". */
    static Map<Integer, String> specCodes(String from) throws Exception {
        String text = Files.readString(Path.of("..", "docs", "PROTOCOL.md"));
        int at = text.indexOf(from);
        assertThat(at).as("PROTOCOL.md has '%s'", from).isPositive();
        String section = text.substring(at + from.length());
        int end = section.indexOf("\n#");
        section = end < 0 ? section : section.substring(0, end);
        Map<Integer, String> rows = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^\\|\\s*(\\d+)\\s*\\|\\s*([A-Z_]+)\\s*\\|").matcher(section);
        while (m.find()) {
            rows.put(Integer.parseInt(m.group(1)), m.group(2));
        }
        return rows;
    }

    @Test
    void everyErrorCodeInTheCodeIsInTheSpecAndTheOtherWayRound() throws Exception {
        Map<Integer, String> core = new TreeMap<>();
        for (int code = 1; code < 100; code++) {
            if (parley.core.wire.ErrorCode.coreName(code) != null) {
                core.put(code, parley.core.wire.ErrorCode.coreName(code));
            }
        }
        assertThat(specCodes("### Core error codes")).isEqualTo(core);
        Map<Integer, String> registry = new TreeMap<>();
        for (int code = 100; code < 1000; code++) {
            if (parley.server.protocol.RegistryErrors.name(code) != null) {
                registry.put(code, parley.server.protocol.RegistryErrors.name(code));
            }
        }
        assertThat(specCodes("### Registry error codes")).isEqualTo(registry);
    }

    @Test
    void everyOpcodeInTheCodeIsInTheSpecAndTheOtherWayRound() throws Exception {
        Map<Integer, String> code = codeOpcodes();
        Map<Integer, String> spec = specOpcodes();
        assertThat(spec).as("opcodes in docs/PROTOCOL.md section 10 vs the code").isEqualTo(code);
    }
}
