package parley.peer.event;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every event the peer emits, with hostile text in every string field, rendered as a JSON line and
 * as text, against a recorded file: the output is an interface (scripts parse it, people read it),
 * so a change to how events are built inside the peer must not change one byte of it. Regenerate
 * the file only for an intended output change: {@code -Dgolden.write=<path of golden-events.txt>}.
 */
class GoldenOutputTest {
    private static final long SENT = 1795571982809L;
    private static final long SEEN = 1795500000000L;
    private static final String GOLDEN = "golden-events.txt";

    /** Hostile text, different per field so a mixed-up field shows. */
    private static String h(String field) {
        return field + "\u001b]0;X\u0007\u001b[2J\u202e\u2066\n\r\t\"\\\u007f\u0085\ud800|\udc00\ud83d\ude00";
    }

    private static Map<String, Event> events() {
        Map<String, Event> m = new LinkedHashMap<>();
        m.put("ready", Events.ready(h("server"), 4711, h("data_dir")));
        m.put("connection", Events.connection(h("state"), h("detail")));
        m.put("connection-no-detail", Events.connection("connected", null));
        m.put("registered", Events.registered(h("user")));
        m.put("logged_in", Events.loggedIn(h("user"), h("visibility"), false));
        m.put("logged_in-relogin", Events.loggedIn("amy", "contacts", true));
        m.put("logged_out", Events.loggedOut(h("user")));
        m.put("who-empty", Events.who(List.of()));
        m.put("who", Events.who(List.of(Events.userEntry(h("user1"), "online", SEEN),
                Events.userEntry(h("user2"), h("state2"), SEEN), Events.userEntry("carol", "offline", 0))));
        m.put("contacts-empty", Events.contacts(List.of(), List.of(), List.of(), List.of()));
        m.put("contacts", Events.contacts(List.of(Events.userEntry(h("c1"), "stale", SEEN),
                Events.userEntry("dave", "online", SEEN)), List.of(h("in1"), "in2"), List.of(h("out1")),
                List.of(h("blocked1"), h("blocked2"))));
        m.put("contact_request", Events.contactRequest(h("from")));
        m.put("contact", Events.contact(h("user"), h("change")));
        m.put("session_request", Events.sessionRequest(h("from"), 42));
        m.put("session_open", Events.sessionOpen(h("user"), h("fingerprint")));
        m.put("session_declined", Events.sessionDeclined(h("user"), h("reason")));
        m.put("session_closed", Events.sessionClosed(h("user"), h("reason")));
        m.put("message", Events.message(h("from"), 1795571978446000L, h("text"), SENT));
        m.put("message-no-time", Events.message("bob", -1, "", 0));
        m.put("held_back", Events.heldBack(h("from"), 17));
        m.put("sending", Events.sending(1795571978446001L, h("to"), h("text")));
        m.put("delivered", Events.delivered(1795571978446002L, h("to")));
        m.put("failed", Events.failed(1795571978446003L, h("to"), h("reason")));
        m.put("presence-online", Events.presence(h("user"), "online", SEEN));
        m.put("presence-offline", Events.presence("bob", "offline", SEEN));
        m.put("presence-never", Events.presence("bob", "offline", 0));
        m.put("presence", Events.presence("bob", h("state"), SEEN));
        m.put("visibility", Events.visibility(h("level")));
        m.put("chat", Events.chat(h("user")));
        m.put("history-empty", Events.history(h("user"), List.of()));
        m.put("history", Events.history(h("user"), List.of(
                new Event.Fields().put("id", 1L).put("from", h("from1")).put("text", h("text1")).put("sent_at", SENT)
                        .put("state", "delivered").put("reason", null),
                new Event.Fields().put("id", 2L).put("from", h("from2")).put("text", h("text2")).put("sent_at", SEEN)
                        .put("state", "received").put("reason", null),
                new Event.Fields().put("id", 3L).put("from", "amy").put("text", "x").put("sent_at", SEEN)
                        .put("state", h("state3")).put("reason", h("reason3")))));
        m.put("verify", Events.verify(h("user"), h("fingerprint")));
        m.put("stats-empty", Events.stats(List.of()).with("user", null));
        m.put("stats", Events.stats(List.of(
                new Event.Fields().put("user", "bob").put("rtt_p50_us", null).put("rtt_p99_us", null)
                        .put("rtt_max_us", null).put("retransmissions", 0L).put("loss", 0.0)
                        .put("bytes_sent", 0L).put("bytes_received", 0L),
                new Event.Fields().put("user", "carol").put("rtt_p50_us", 1234L).put("rtt_p99_us", 56789L)
                        .put("rtt_max_us", 1234567L).put("retransmissions", 3L).put("loss", 0.125)
                        .put("bytes_sent", 100000L).put("bytes_received", 2000L))).with("user", h("user")));
        m.put("help", Events.help(List.of(h("line1"), "  /quit   leave")));
        m.put("info", Events.info(h("message")));
        m.put("error", Events.error(h("code"), h("message")));
        m.put("bye", Events.bye());
        return m;
    }

    private static String render() {
        StringBuilder sb = new StringBuilder();
        events().forEach((label, e) -> sb.append("== ").append(label).append('\n')
                .append(Json.write(e)).append("\n--\n").append(TextFormat.format(e)).append('\n'));
        return normalizeTimes(sb.toString());
    }

    /** The text shows local times; the file holds them as tokens so it passes in any time zone. */
    private static String normalizeTimes(String s) {
        ZoneId zone = ZoneId.systemDefault();
        List<String[]> pairs = new ArrayList<>();
        for (long t : new long[]{SENT, SEEN}) {
            pairs.add(new String[]{DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(zone).format(Instant.ofEpochMilli(t)), "<day-time " + t + ">"});
            pairs.add(new String[]{DateTimeFormatter.ofPattern("HH:mm:ss").withZone(zone).format(Instant.ofEpochMilli(t)), "<time " + t + ">"});
        }
        for (String[] p : pairs) {
            s = s.replace(p[0], p[1]);
        }
        return s;
    }

    @Test
    void everyEventRendersExactlyAsRecorded() throws IOException {
        String actual = render();
        String target = System.getProperty("golden.write");
        if (target != null) {
            Files.writeString(Path.of(target), actual, StandardCharsets.UTF_8);
        }
        String expected;
        try (InputStream in = GoldenOutputTest.class.getResourceAsStream(GOLDEN)) {
            assertThat(in).as("recorded " + GOLDEN).isNotNull();
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(actual).isEqualTo(expected);
    }
}
