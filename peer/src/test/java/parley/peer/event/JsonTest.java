package parley.peer.event;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JsonTest {
    @Test
    void writesTheEventFieldFirstThenFieldsInOrder() {
        Event e = Events.message("bob", 7L, "hi", 1000L);
        assertThat(Json.write(e)).isEqualTo("{\"event\":\"message\",\"from\":\"bob\",\"id\":7,\"text\":\"hi\",\"sent_at\":1000}");
    }

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        String text = "a\"b\\c\nd\re\tf\u0001g\u007f\u2028";
        String json = Json.write(Event.of("x").with("t", text));
        assertThat(json).isEqualTo("{\"event\":\"x\",\"t\":\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u007f\\u2028\"}");
    }

    @Test
    void keepsPairedSurrogatesAndReplacesLoneOnes() {
        String json = Json.write(Event.of("x").with("t", "\uD83D\uDE00 \uD83D x \uDE00"));
        assertThat(json).isEqualTo("{\"event\":\"x\",\"t\":\"\uD83D\uDE00 \\ufffd x \\ufffd\"}");
    }

    @Test
    void writesNullsListsNestedObjectsAndNonFiniteNumbersAsNull() {
        Event e = Events.who(List.of(Events.userEntry("amy", "online", 5L)))
                .with("n", null).with("b", true).with("d", Double.NaN).with("l", List.of("a", "b"));
        assertThat(Json.write(e)).isEqualTo("{\"event\":\"who\",\"users\":[{\"user\":\"amy\",\"state\":\"online\","
                + "\"last_seen\":5}],\"n\":null,\"b\":true,\"d\":null,\"l\":[\"a\",\"b\"]}");
    }

    @Test
    void replacingAFieldKeepsItsPosition() {
        Event e = Event.of("x").with("a", 1).with("b", 2).with("a", 3);
        assertThat(Json.write(e)).isEqualTo("{\"event\":\"x\",\"a\":3,\"b\":2}");
    }
}
