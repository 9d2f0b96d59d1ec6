package parley.peer.e2e;

import org.junit.jupiter.api.Test;
import parley.core.reliable.PeerPacket;
import parley.core.wire.ErrorCode;
import parley.core.wire.MessageClass;
import parley.peer.core.ChatPayload;
import parley.peer.identity.AuthMessage;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every opcode (with its class), error code, peer frame type and chat payload kind in the code is
 * known to the dissector, tools/wireshark/parley.lua, by the same name: as SpecSyncTest does for
 * docs/PROTOCOL.md. The dissector may know more (numbers reserved for branches not merged yet),
 * never less or otherwise.
 */
class WiresharkSyncTest {
    private static final Pattern OPCODE_ROW = Pattern.compile("\\[0x([0-9A-Fa-f]{2})\\] = \\{ \"([A-Z_]+)\", (\\d) \\}");
    private static final Pattern ROW = Pattern.compile("\\[(0x[0-9A-Fa-f]+|\\d+)\\] = \"([A-Z_]+)\"");

    static String lua() throws Exception {
        return Files.readString(Tshark.SCRIPT);
    }

    /** The rows of the Lua table {@code local NAME = { ... }}. */
    static Map<Integer, String> table(String name, Pattern row) throws Exception {
        String text = lua();
        int at = text.indexOf("local " + name + " = {");
        assertThat(at).as("parley.lua has table %s", name).isNotNegative();
        int lineEnd = text.indexOf('\n', at);
        // A one-line table ends on its own line; a longer one at the first line that is "}".
        int end = text.substring(at, lineEnd).trim().endsWith("}") ? lineEnd : text.indexOf("\n}", at);
        Matcher m = row.matcher(text.substring(at, end));
        Map<Integer, String> rows = new TreeMap<>();
        while (m.find()) {
            String key = m.group(1);
            int code = key.startsWith("0x") ? Integer.parseInt(key.substring(2), 16) : row == OPCODE_ROW
                    ? Integer.parseInt(key, 16) : Integer.parseInt(key);
            rows.put(code, row == OPCODE_ROW ? m.group(2) + " " + MessageClass.name(Integer.parseInt(m.group(3))) : m.group(2));
        }
        return rows;
    }

    @Test
    void everyOpcodeOfTheCodeIsInTheDissectorWithItsClass() throws Exception {
        Map<Integer, String> code = new TreeMap<>();
        for (int op : RegistryOpcodes.all()) {
            code.put(op, RegistryOpcodes.name(op) + " " + MessageClass.name(RegistryOpcodes.classOf(op)));
        }
        code.put(PeerPacket.PEER_DATA, "PEER_DATA DATA");
        code.put(PeerPacket.PEER_CONTROL, "PEER_CONTROL CONTROL");
        assertThat(table("OPCODE_TABLE", OPCODE_ROW)).containsAllEntriesOf(code);
    }

    @Test
    void everyErrorCodeOfTheCodeIsInTheDissector() throws Exception {
        Map<Integer, String> code = new TreeMap<>();
        for (int c = 1; c < 1000; c++) {
            String name = c < 100 ? ErrorCode.coreName(c) : RegistryErrors.name(c);
            if (name != null) {
                code.put(c, name);
            }
        }
        assertThat(code).hasSizeGreaterThan(40);
        assertThat(table("ERRORS", ROW)).containsAllEntriesOf(code);
    }

    @Test
    void everyPeerFrameTypeIsInTheDissector() throws Exception {
        // nio-core keeps the frame types package-private in Frames, next to their field lengths.
        Map<Integer, String> code = new TreeMap<>();
        for (Field f : Class.forName("parley.core.reliable.Frames").getDeclaredFields()) {
            int mod = f.getModifiers();
            if (Modifier.isStatic(mod) && Modifier.isFinal(mod) && f.getType() == int.class
                    && !f.getName().matches(".*(LENGTH|SIZE|OVERHEAD|BODY|MAX|FIELDS|APPLICATION).*")) {
                f.setAccessible(true);
                code.put(f.getInt(null), f.getName());
            }
        }
        assertThat(code).containsKeys(0x01, 0x02, 0x07);
        assertThat(table("FRAME_TYPES", ROW)).containsAllEntriesOf(code);
    }

    @Test
    void everyChatPayloadKindAndRejectReasonIsInTheDissector() throws Exception {
        Field receipt = Class.forName("parley.peer.core.ReceiptPayload").getDeclaredField("KIND");
        receipt.setAccessible(true);
        Map<Integer, String> kinds = table("CHAT_KINDS", ROW);
        assertThat(kinds).containsEntry(ChatPayload.TEXT, "TEXT").containsEntry(AuthMessage.KIND, "AUTH")
                .containsEntry(receipt.getInt(null), "RECEIPT")
                .containsEntry(parley.peer.group.GroupPayload.CHAT_KIND, "GROUP");
        assertThat(table("REJECT_REASONS", ROW)).containsEntry(ChatPayload.REJECT_MALFORMED, "MALFORMED")
                .containsEntry(ChatPayload.REJECT_TOO_LARGE, "TOO_LARGE")
                .containsEntry(ChatPayload.REJECT_NOT_MEMBER, "NOT_MEMBER");
    }
}
