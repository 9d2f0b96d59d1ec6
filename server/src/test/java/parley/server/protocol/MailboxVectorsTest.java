package parley.server.protocol;

import org.junit.jupiter.api.Test;
import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.Flags;
import parley.core.wire.Header;
import parley.core.wire.MessageClass;
import parley.server.protocol.client.RegistryClient;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mailbox messages against docs/vectors/mailbox.json, which docs/vectors/mailbox.py wrote from
 * PROTOCOL.md section 7.10 alone: the client's request frames byte for byte, the registry's
 * flyweight page writer byte for byte, and every body decoded to the vector's fields.
 */
class MailboxVectorsTest {
    private static final Pattern ENTRY = Pattern.compile("\"([\\w.]+)\"\\s*:\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|(-?\\d+))");
    private static final HexFormat HEX = HexFormat.of();

    private static String text() throws Exception {
        return Files.readString(Path.of("..", "docs", "vectors", "mailbox.json"), StandardCharsets.UTF_8);
    }

    private static Map<String, String> fields(String json) {
        Map<String, String> v = new HashMap<>();
        Matcher m = ENTRY.matcher(json);
        while (m.find()) {
            v.putIfAbsent(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
        }
        return v;
    }

    /** The top-level fields (the entries' are read by {@link #entries}). */
    private static Map<String, String> load() throws Exception {
        String t = text();
        int at = t.indexOf("\"page_entries\"");
        int end = t.indexOf(']', at);
        return fields(t.substring(0, at) + t.substring(end));
    }

    private static List<Map<String, String>> entries() throws Exception {
        String t = text();
        int at = t.indexOf("\"page_entries\"");
        String array = t.substring(t.indexOf('[', at) + 1, t.indexOf(']', at));
        List<Map<String, String>> out = new ArrayList<>();
        for (String object : array.split("}")) {
            if (object.contains("{")) {
                out.add(fields(object));
            }
        }
        return out;
    }

    private static long num(Map<String, String> v, String key) {
        return Long.parseLong(v.get(key));
    }

    /** A request frame as RegistryClient sends it, under the vector's correlation id. */
    private static String request(int opcode, RegistryClient.Body body, String vectorFrame) {
        ByteBuffer f = RegistryClient.encode(opcode, body);
        byte[] expected = HEX.parseHex(vectorFrame);
        f.putInt(f.position() + Header.CORRELATION_OFFSET, ByteBuffer.wrap(expected).getInt(Header.CORRELATION_OFFSET));
        byte[] out = new byte[f.remaining()];
        f.get(f.position(), out);
        return HEX.formatHex(out);
    }

    private static BodyReader body(String frameHex) {
        byte[] f = HEX.parseHex(frameHex);
        return new BodyReader().wrap(ByteBuffer.wrap(f), Header.LENGTH, f.length - Header.LENGTH);
    }

    @Test
    void theClientsRequestsAreTheVectorsFrames() throws Exception {
        Map<String, String> v = load();
        byte[] blob = HEX.parseHex(v.get("deposit_blob"));
        assertThat(request(RegistryOpcodes.MAIL_DEPOSIT, w -> MailDeposit.write(w, v.get("deposit_recipient"), num(v, "deposit_message_id"), blob),
                v.get("deposit_frame"))).isEqualTo(v.get("deposit_frame"));
        assertThat(request(RegistryOpcodes.MAIL_FETCH, new MailFetch(num(v, "fetch_after"), (int) num(v, "fetch_max"))::encode,
                v.get("fetch_frame"))).isEqualTo(v.get("fetch_frame"));
        assertThat(request(RegistryOpcodes.MAIL_ACK, new MailAck(num(v, "ack_up_to"))::encode, v.get("ack_frame")))
                .isEqualTo(v.get("ack_frame"));
        MailDeposit d = MailDeposit.decode(body(v.get("deposit_frame")));
        assertThat(d.recipient()).isEqualTo(v.get("deposit_recipient"));
        assertThat(d.blob()).isEqualTo(blob);
    }

    @Test
    void theRegistrysPageWriterMakesTheVectorsPageAndItDecodes() throws Exception {
        Map<String, String> v = load();
        List<Map<String, String>> es = entries();
        assertThat(es).hasSize(3);
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        BodyWriter w = new BodyWriter().wrap(buf, Header.LENGTH);
        MailPage.writeHead(w, num(v, "page_more") == 1, es.size());
        for (Map<String, String> e : es) {
            if (num(e, "kind") == MailEntry.SEALED) {
                byte[] blob = HEX.parseHex(e.get("blob"));
                MailEntry.writeSealed(w, num(e, "sequence"), num(e, "deposited_at"), blob, 0, blob.length);
            } else {
                MailEntry.writeExpired(w, num(e, "sequence"), num(e, "deposited_at"), e.get("recipient"), num(e, "message_id"));
            }
        }
        byte[] frame = HEX.parseHex(v.get("page_frame"));
        new Header().wrap(buf, 0).set(MessageClass.COMMAND, RegistryOpcodes.MAIL_FETCH, Flags.RESPONSE,
                ByteBuffer.wrap(frame).getInt(Header.CORRELATION_OFFSET), w.length());
        byte[] built = new byte[Header.LENGTH + w.length()];
        buf.get(0, built);
        assertThat(HEX.formatHex(built)).isEqualTo(v.get("page_frame"));
        assertThat(HEX.formatHex(built, Header.LENGTH, built.length)).isEqualTo(v.get("page_body"));

        MailPage page = MailPage.decode(body(v.get("page_frame")));
        assertThat(page.more()).isTrue();
        for (int i = 0; i < es.size(); i++) {
            MailEntry got = page.entries().get(i);
            Map<String, String> e = es.get(i);
            assertThat(got.sequence()).isEqualTo(num(e, "sequence"));
            assertThat(got.kind()).isEqualTo((int) num(e, "kind"));
            assertThat(got.depositedAtMillis()).isEqualTo(num(e, "deposited_at"));
            if (got.kind() == MailEntry.SEALED) {
                assertThat(HEX.formatHex(got.blob())).isEqualTo(e.get("blob"));
            } else {
                assertThat(got.recipient()).isEqualTo(e.get("recipient"));
                assertThat(got.messageId()).isEqualTo(num(e, "message_id"));
            }
        }
    }

    @Test
    void theRepliesAndThePushDecodeToTheVectorsFields() throws Exception {
        Map<String, String> v = load();
        assertThat(MailDepositReply.decode(body(v.get("deposit_reply_frame"))).expiresAtMillis()).isEqualTo(num(v, "deposit_expires_at"));
        assertThat(MailWaiting.decode(body(v.get("waiting_frame"))).count()).isEqualTo(num(v, "waiting_count"));
        byte[] push = HEX.parseHex(v.get("waiting_frame"));
        Header h = new Header().wrap(ByteBuffer.wrap(push), 0);
        assertThat(h.opcode()).isEqualTo(RegistryOpcodes.MAIL_WAITING);
        assertThat(h.messageClass()).isEqualTo(RegistryOpcodes.classOf(RegistryOpcodes.MAIL_WAITING));
        assertThat(h.flags()).isEqualTo(Flags.PUSH);
        body(v.get("ack_reply_frame")).end();
    }
}
