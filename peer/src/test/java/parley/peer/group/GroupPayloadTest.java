package parley.peer.group;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The group body of PROTOCOL.md 9.3.2, byte by byte, and what a receiver refuses. */
class GroupPayloadTest {
    private static final byte[] ID = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

    @Test
    void layoutIsIdSequenceLamportVersionText() {
        byte[] b = new GroupPayload(ID, 3, 42, 7, "hé").encode();
        ByteBuffer expected = ByteBuffer.allocate(40 + 3).put(ID).putLong(3).putLong(42).putLong(7)
                .put(new byte[] {'h', (byte) 0xC3, (byte) 0xA9});
        assertThat(b).isEqualTo(expected.array());
        GroupPayload p = GroupPayload.decode(b);
        assertThat(p.groupId()).isEqualTo(ID);
        assertThat(p.sequence()).isEqualTo(3);
        assertThat(p.lamport()).isEqualTo(42);
        assertThat(p.version()).isEqualTo(7);
        assertThat(p.text()).isEqualTo("hé");
        assertThat(GroupPayload.decode(new GroupPayload(ID, 1, 1, 1, "").encode()).text()).isEmpty();
    }

    @Test
    void hostileBodiesAreRefused() {
        byte[] good = new GroupPayload(ID, 1, 1, 1, "x").encode();
        assertThat(GroupPayload.decode(Arrays.copyOf(good, 39))).as("too short").isNull();
        byte[] zeroSeq = good.clone();
        Arrays.fill(zeroSeq, 16, 24, (byte) 0);
        assertThat(GroupPayload.decode(zeroSeq)).as("sequence 0").isNull();
        byte[] negative = good.clone();
        negative[24] = (byte) 0x80;
        assertThat(GroupPayload.decode(negative)).as("negative Lamport time").isNull();
        byte[] badUtf8 = good.clone();
        badUtf8[40] = (byte) 0xC0;
        assertThat(GroupPayload.decode(badUtf8)).as("not UTF-8").isNull();
        assertThat(GroupPayload.decode(new byte[40 + 16 * 1024 + 1])).as("text over 16 KiB").isNull();
        assertThatThrownBy(() -> new GroupPayload(ID, 0, 1, 1, "x").encode()).isInstanceOf(IllegalArgumentException.class);
    }
}
