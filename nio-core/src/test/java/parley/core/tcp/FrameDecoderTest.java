package parley.core.tcp;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import parley.core.wire.ErrorCode;
import parley.core.wire.Header;
import parley.core.wire.MessageClass;
import parley.core.wire.WireException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameDecoderTest {

    static byte[] stream(int frames, long seed) {
        Random rnd = new Random(seed);
        ByteBuffer buf = ByteBuffer.allocate(frames * (Header.LENGTH + 3000));
        Header h = new Header();
        for (int i = 0; i < frames; i++) {
            int body = rnd.nextInt(4) == 0 ? rnd.nextInt(3000) : rnd.nextInt(40);
            h.wrap(buf, buf.position()).set(MessageClass.DATA, 0x20, 0, i, body);
            buf.position(buf.position() + Header.LENGTH);
            for (int b = 0; b < body; b++) {
                buf.put((byte) (i + b));
            }
        }
        byte[] out = new byte[buf.position()];
        buf.flip().get(out);
        return out;
    }

    static List<byte[]> decodeInChunks(byte[] bytes, int[] cuts, FrameDecoder decoder) {
        List<byte[]> frames = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : bytes.length;
            ByteBuffer chunk = ByteBuffer.wrap(bytes, from, to - from).slice();
            decoder.decode(chunk, (buf, off, len) -> {
                byte[] f = new byte[len];
                buf.get(off, f);
                frames.add(f);
                return true;
            });
            assertThat(chunk.hasRemaining()).isFalse();
            from = to;
        }
        return frames;
    }

    @Test
    void sameStreamDecodesIdenticallyAtEverySplitPosition() {
        byte[] bytes = stream(40, 7);
        List<byte[]> whole = decodeInChunks(bytes, new int[0], new FrameDecoder(65536));
        assertThat(whole).hasSize(40);
        for (int cut = 1; cut < bytes.length; cut++) {
            List<byte[]> split = decodeInChunks(bytes, new int[] {cut}, new FrameDecoder(65536));
            assertThat(split).as("split at %d", cut).hasSize(whole.size());
            for (int i = 0; i < whole.size(); i++) {
                assertThat(split.get(i)).isEqualTo(whole.get(i));
            }
        }
    }

    @Test
    void oneByteAtATime() {
        byte[] bytes = stream(25, 11);
        int[] cuts = new int[bytes.length - 1];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        FrameDecoder d = new FrameDecoder(65536);
        assertThat(decodeInChunks(bytes, cuts, d)).usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(decodeInChunks(bytes, new int[0], new FrameDecoder(65536)));
        assertThat(d.hasPartialFrame()).isFalse();
    }

    @Property(tries = 200)
    void randomSplitsDecodeLikeTheWhole(@ForAll long seed, @ForAll @Size(max = 30) List<@IntRange(min = 1, max = 5000) Integer> rawCuts) {
        byte[] bytes = stream(30, seed);
        int[] cuts = rawCuts.stream().mapToInt(c -> c % bytes.length).filter(c -> c > 0).sorted().distinct().toArray();
        List<byte[]> whole = decodeInChunks(bytes, new int[0], new FrameDecoder(65536));
        List<byte[]> split = decodeInChunks(bytes, cuts, new FrameDecoder(65536));
        assertThat(split).hasSameSizeAs(whole);
        for (int i = 0; i < whole.size(); i++) {
            assertThat(split.get(i)).isEqualTo(whole.get(i));
        }
    }

    @Test
    void lengthIsCheckedBeforeAnyBufferIsSized() {
        ByteBuffer buf = ByteBuffer.allocate(Header.LENGTH);
        new Header().wrap(buf, 0).set(MessageClass.DATA, 0x20, 0, 1, -1); // 4 GiB body
        FrameDecoder d = new FrameDecoder(65536);
        // Split inside the header, so the check happens on the reassembly path too.
        ByteBuffer first = ByteBuffer.wrap(buf.array(), 0, 5).slice();
        d.decode(first, (b, o, l) -> true);
        ByteBuffer rest = ByteBuffer.wrap(buf.array(), 5, 7).slice();
        assertThatThrownBy(() -> d.decode(rest, (b, o, l) -> true))
                .isInstanceOf(WireException.class).extracting(e -> ((WireException) e).code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
    }

    @Test
    void badVersionClassAndFlagsAreRefused() {
        FrameDecoder d = new FrameDecoder(65536);
        ByteBuffer v = ByteBuffer.allocate(Header.LENGTH);
        new Header().wrap(v, 0).set(MessageClass.DATA, 0x20, 0, 1, 0).version(9);
        assertThatThrownBy(() -> d.decode(v, (b, o, l) -> true)).extracting(e -> ((WireException) e).code())
                .isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
        ByteBuffer c = ByteBuffer.allocate(Header.LENGTH);
        new Header().wrap(c, 0).set(7, 0x20, 0, 1, 0);
        assertThatThrownBy(() -> new FrameDecoder(65536).decode(c, (b, o, l) -> true)).extracting(e -> ((WireException) e).code())
                .isEqualTo(ErrorCode.MALFORMED_HEADER);
        ByteBuffer f = ByteBuffer.allocate(Header.LENGTH);
        new Header().wrap(f, 0).set(MessageClass.DATA, 0x20, 0x80, 1, 0);
        assertThatThrownBy(() -> new FrameDecoder(65536).decode(f, (b, o, l) -> true)).extracting(e -> ((WireException) e).code())
                .isEqualTo(ErrorCode.MALFORMED_HEADER);
    }

    @Test
    void sinkCanStopDecoding() {
        byte[] bytes = stream(5, 3);
        List<Integer> seen = new ArrayList<>();
        new FrameDecoder(65536).decode(ByteBuffer.wrap(bytes), (b, o, l) -> {
            seen.add(b.getInt(o + Header.CORRELATION_OFFSET));
            return seen.size() < 2;
        });
        assertThat(seen).containsExactly(0, 1);
    }
}
