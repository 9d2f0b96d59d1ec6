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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every event the peer emits, with hostile text in every string field, rendered as a JSON line and
 * as text, against a recorded file: the output is an interface (scripts parse it, people read it),
 * so a change to how events are built inside the peer must not change one byte of it. The file
 * was recorded from the map-based events this replaced. Regenerate
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

    private static Map<String, PeerEvent> events() {
        Map<String, PeerEvent> m = new LinkedHashMap<>();
        m.put("ready", new AccountEvents.Ready(h("server"), 4711, h("data_dir")));
        m.put("connection", new AccountEvents.Connection(h("state"), h("detail")));
        m.put("connection-no-detail", new AccountEvents.Connection("connected", null));
        m.put("registered", new AccountEvents.Registered(h("user")));
        m.put("logged_in", new AccountEvents.LoggedIn(h("user"), h("visibility"), false));
        m.put("logged_in-relogin", new AccountEvents.LoggedIn("amy", "contacts", true));
        m.put("logged_out", new AccountEvents.LoggedOut(h("user")));
        m.put("who-empty", new ContactEvents.Who(List.of()));
        m.put("who", new ContactEvents.Who(List.of(new ContactEvents.UserState(h("user1"), "online", SEEN),
                new ContactEvents.UserState(h("user2"), h("state2"), SEEN), new ContactEvents.UserState("carol", "offline", 0))));
        m.put("contacts-empty", new ContactEvents.Contacts(List.of(), List.of(), List.of(), List.of(), List.of()));
        m.put("contacts", new ContactEvents.Contacts(List.of(new ContactEvents.UserState(h("c1"), "stale", SEEN),
                new ContactEvents.UserState("dave", "online", SEEN)), List.of(h("in1"), "in2"), List.of(h("out1")),
                List.of(h("blocked1"), h("blocked2")), List.of(h("verified1"))));
        m.put("contact_request", new ContactEvents.ContactRequest(h("from")));
        m.put("contact", new ContactEvents.Contact(h("user"), h("change")));
        m.put("session_request", new SessionEvents.SessionRequest(h("from"), 42));
        m.put("session_open", new SessionEvents.SessionOpen(h("user"), h("fingerprint")));
        m.put("session_declined", new SessionEvents.SessionDeclined(h("user"), h("reason")));
        m.put("path", new SessionEvents.Path(h("user"), "relayed", "10.0.0.5:4711", h("remote"), 1234L));
        m.put("path-no-rtt", new SessionEvents.Path("bob", "direct", "[2001:db8::5]:4711", "[2001:db8::9]:40000", -1));
        m.put("punch_ended", new SessionEvents.PunchEnded(h("user"), SessionEvents.PunchEnded.GAVE_UP));
        m.put("punch_ended-direct", new SessionEvents.PunchEnded("bob", SessionEvents.PunchEnded.DIRECT));
        m.put("punch_ended-not_attempted", new SessionEvents.PunchEnded("bob", SessionEvents.PunchEnded.NOT_ATTEMPTED));
        m.put("session_closed", new SessionEvents.SessionClosed(h("user"), h("reason")));
        m.put("message", new MessageEvents.Message(h("from"), 1795571978446000L, h("text"), SENT));
        m.put("message-no-time", new MessageEvents.Message("bob", -1, "", 0));
        m.put("held_back", new MessageEvents.HeldBack(h("from"), 17));
        m.put("sending", new MessageEvents.Sending(1795571978446001L, h("to"), h("text")));
        m.put("delivered", new MessageEvents.Delivered(1795571978446002L, h("to")));
        m.put("queued", new MessageEvents.Queued(1795571978446004L, h("to")));
        m.put("failed", new MessageEvents.Failed(1795571978446003L, h("to"), h("reason")));
        m.put("presence-online", new ContactEvents.Presence(h("user"), "online", SEEN));
        m.put("presence-offline", new ContactEvents.Presence("bob", "offline", SEEN));
        m.put("presence-never", new ContactEvents.Presence("bob", "offline", 0));
        m.put("presence", new ContactEvents.Presence("bob", h("state"), SEEN));
        m.put("visibility", new AccountEvents.Visibility(h("level")));
        m.put("chat", new MessageEvents.Chat(h("user")));
        m.put("history-empty", new MessageEvents.History(h("user"), List.of()));
        m.put("history", new MessageEvents.History(h("user"), List.of(
                new MessageEvents.HistoryEntry(1L, h("from1"), h("text1"), SENT, "delivered", null),
                new MessageEvents.HistoryEntry(2L, h("from2"), h("text2"), SEEN, "received", null),
                new MessageEvents.HistoryEntry(3L, "amy", "x", SEEN, h("state3"), h("reason3")))));
        m.put("verify", new SessionEvents.Verify(h("user"), h("fingerprint"), "12345 67890 12345 67890 12345 67890 12345 67890 12345 67890 12345 67890", true));
        m.put("verify-no-session", new SessionEvents.Verify("bob", null, "00000 11111 22222 33333 44444 55555 66666 77777 88888 99999 00000 11111", false));
        m.put("identity_changed", new SessionEvents.IdentityChanged(h("user"), "3F2A 91C0 77E1 0B4D", "0A1B 2C3D 4E5F 6A7B", false));
        m.put("identity_changed-held", new SessionEvents.IdentityChanged("bob", "3F2A 91C0 77E1 0B4D", "0A1B 2C3D 4E5F 6A7B", true));
        m.put("stats-empty", new SessionEvents.Stats(null, List.of()));
        m.put("stats", new SessionEvents.Stats(h("user"), List.of(
                new SessionEvents.SessionRow("bob", SessionEvents.SessionRow.NO_SAMPLE, SessionEvents.SessionRow.NO_SAMPLE,
                        SessionEvents.SessionRow.NO_SAMPLE, 0L, 0.0, 0L, 0L, "relayed"),
                new SessionEvents.SessionRow("carol", 1234L, 56789L, 1234567L, 3L, 0.125, 100000L, 2000L, h("path")))));
        m.put("help", new ConsoleEvents.Help(List.of(h("line1"), "  /quit   leave")));
        m.put("info", new ConsoleEvents.Info(h("message")));
        m.put("error", new ConsoleEvents.Error(h("code"), h("message")));
        m.put("bye", new AccountEvents.Bye());
        groups(m);
        m.put("file_offer", new FileEvents.FileOffer(h("from"), "00c0ffee12345678", h("name"), 5_242_880L,
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
        m.put("transfer-active", new FileEvents.Transfer("00c0ffee12345678", h("user"), "out", 1_048_576L, 5_242_880L,
                80_000_000L, "active"));
        m.put("transfer", new FileEvents.Transfer("00c0ffee12345678", "bob", "in", 0L, 0L, 0L, h("state")));
        m.put("transfer-resumed", new FileEvents.Transfer("00c0ffee12345678", "bob", "in", 2_097_152L, 5_242_880L, 0L, "resumed"));
        m.put("file_received", new FileEvents.FileReceived("00c0ffee12345678", h("from"), h("path"), 5_242_880L,
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
        m.put("files-empty", new FileEvents.Files(List.of()));
        m.put("files", new FileEvents.Files(List.of(
                new FileEvents.FileRow("00c0ffee12345678", h("user1"), "in", h("name1"), 1_048_576L, 5_242_880L, "paused"),
                new FileEvents.FileRow("0000000000000001", "bob", "out", "notes.txt", 512L, 512L, h("state2")))));
        return m;
    }

    /** Group chat (issue 14): every GroupEvents record. */
    private static void groups(Map<String, PeerEvent> m) {
        m.put("group_invite", new GroupEvents.GroupInvite(h("group"), h("from")));
        m.put("group", new GroupEvents.Group(h("group"), "member_joined", h("user")));
        m.put("group-created", new GroupEvents.Group("ops", "created", "amy"));
        m.put("group-kicked", new GroupEvents.Group("ops", "kicked", "carol"));
        m.put("message-group", new GroupEvents.GroupMessage(h("group"), h("from"), 1795571978446010L, h("text"), SENT, false));
        m.put("message-group-late", new GroupEvents.GroupMessage("ops", "bob", 7L, "late one", SENT, true));
        m.put("sending-group", new GroupEvents.GroupSending(h("group"), 1795571978446011L, h("text"), 4));
        m.put("delivered-group", new GroupEvents.GroupDelivered(h("group"), 1795571978446011L, h("to")));
        m.put("queued-group", new GroupEvents.GroupQueued(h("group"), 1795571978446011L, h("to")));
        m.put("failed-group", new GroupEvents.GroupFailed(h("group"), 1795571978446011L, h("to"), h("reason")));
        m.put("group_gap", new GroupEvents.GroupGap(h("group"), h("from"), 3, 2));
        m.put("groups-empty", new GroupEvents.Groups(List.of()));
        m.put("groups", new GroupEvents.Groups(List.of(new GroupEvents.GroupRow(h("group1"), "owner", 3),
                new GroupEvents.GroupRow("ops", "invitee", 7))));
        m.put("group_members", new GroupEvents.GroupMembers(h("group"), List.of(new GroupEvents.MemberRow(h("user1"), "owner", "online"),
                new GroupEvents.MemberRow("bob", "member", h("state")))));
        m.put("group_history-empty", new GroupEvents.GroupHistory(h("group"), List.of(), 0));
        m.put("group_history", new GroupEvents.GroupHistory(h("group"), List.of(
                new GroupEvents.GroupLine(h("from1"), 1L, h("text1"), SENT, 3),
                new GroupEvents.GroupLine("bob", 2L, "hi", SEEN, -1),
                new GroupEvents.GroupLine("carol", 3L, "restored", 0, -1)), 2));
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
    void everyKindOfEventIsRecorded() {
        Set<Class<?>> recorded = new HashSet<>();
        events().values().forEach(e -> recorded.add(e.getClass()));
        assertThat(recorded).containsExactlyInAnyOrderElementsOf(eventRecords(PeerEvent.class));
    }

    /** Every record under a sealed event interface, through its sealed category interfaces. */
    private static List<Class<?>> eventRecords(Class<?> sealed) {
        List<Class<?>> out = new ArrayList<>();
        for (Class<?> c : sealed.getPermittedSubclasses()) {
            if (c.isSealed()) {
                out.addAll(eventRecords(c));
            } else {
                out.add(c);
            }
        }
        return out;
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
