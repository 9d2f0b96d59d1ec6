package parley.peer.event;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JsonTest {
    @Test
    void writesTheEventFieldFirstThenFieldsInOrder() {
        PeerEvent e = new MessageEvents.Message("bob", 7L, "hi", 1000L);
        assertThat(Json.write(e)).isEqualTo("{\"event\":\"message\",\"from\":\"bob\",\"id\":7,\"text\":\"hi\",\"sent_at\":1000}");
    }

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        String text = "a\"b\\c\nd\re\tf\u0001g\u007f\u2028";
        String json = Json.write(new ConsoleEvents.Info(text));
        assertThat(json).isEqualTo("{\"event\":\"info\",\"message\":\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u007f\\u2028\"}");
    }

    @Test
    void keepsPairedSurrogatesAndReplacesLoneOnes() {
        String json = Json.write(new ConsoleEvents.Info("\uD83D\uDE00 \uD83D x \uDE00"));
        assertThat(json).isEqualTo("{\"event\":\"info\",\"message\":\"\uD83D\uDE00 \\ufffd x \\ufffd\"}");
    }

    @Test
    void writesNullsBooleansListsAndNestedObjects() {
        assertThat(Json.write(new ContactEvents.Who(List.of(new ContactEvents.UserState("amy", "online", 5L)))))
                .isEqualTo("{\"event\":\"who\",\"users\":[{\"user\":\"amy\",\"state\":\"online\",\"last_seen\":5}]}");
        assertThat(Json.write(new AccountEvents.Connection("lost", null)))
                .isEqualTo("{\"event\":\"connection\",\"state\":\"lost\",\"detail\":null}");
        assertThat(Json.write(new AccountEvents.LoggedIn("amy", "contacts", true)))
                .isEqualTo("{\"event\":\"logged_in\",\"user\":\"amy\",\"visibility\":\"contacts\",\"relogin\":true}");
        assertThat(Json.write(new ConsoleEvents.Help(List.of("a", "b")))).isEqualTo("{\"event\":\"help\",\"commands\":[\"a\",\"b\"]}");
        assertThat(Json.write(new AccountEvents.Bye())).isEqualTo("{\"event\":\"bye\"}");
    }

    @Test
    void writesAbsentNumbersAndNonFiniteFractionsAsNull() {
        SessionEvents.SessionRow row = new SessionEvents.SessionRow("bob", SessionEvents.SessionRow.NO_SAMPLE, 2, 3, 4, Double.NaN, 5, 6, "direct");
        assertThat(Json.write(new SessionEvents.Stats("amy", List.of(row)))).isEqualTo("{\"event\":\"stats\",\"sessions\":[{"
                + "\"user\":\"bob\",\"path\":\"direct\",\"rtt_p50_us\":null,\"rtt_p99_us\":2,\"rtt_max_us\":3,\"retransmissions\":4,"
                + "\"loss\":null,\"bytes_sent\":5,\"bytes_received\":6}],\"user\":\"amy\"}");
    }
}
