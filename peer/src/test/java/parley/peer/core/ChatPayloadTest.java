package parley.peer.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChatPayloadTest {
    @Test
    void roundTripsUnicodeText() {
        ChatPayload p = ChatPayload.decode(ChatPayload.encode(7, 99, "héllo \uD83D\uDE00"));
        assertThat(p.id).isEqualTo(7);
        assertThat(p.sentAt).isEqualTo(99);
        assertThat(p.text).isEqualTo("héllo \uD83D\uDE00");
    }

    @Test
    void refusesShortUnknownOrBadUtf8Payloads() {
        assertThat(ChatPayload.decode(new byte[5])).isNull();
        byte[] unknownKind = ChatPayload.encode(1, 1, "x");
        unknownKind[0] = 9;
        assertThat(ChatPayload.decode(unknownKind)).isNull();
        byte[] badUtf8 = ChatPayload.encode(1, 1, "xx");
        badUtf8[badUtf8.length - 1] = (byte) 0xC3;
        assertThat(ChatPayload.decode(badUtf8)).isNull();
    }
}
