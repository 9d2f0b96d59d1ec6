package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.WireException;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Encodes, decodes and cuts protocol bodies for the codec tests. */
final class Codec {
    private Codec() {
    }

    static byte[] encode(Consumer<BodyWriter> body) {
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        BodyWriter w = new BodyWriter().wrap(b, 0);
        body.accept(w);
        return Arrays.copyOf(b.array(), w.length());
    }

    static <T> T decode(byte[] bytes, Function<BodyReader, T> decoder) {
        return decoder.apply(new BodyReader().wrap(ByteBuffer.wrap(bytes), 0, bytes.length));
    }

    /**
     * The body round-trips (decoding it and encoding the result gives the same bytes), every
     * shorter prefix and the body with one byte more are refused as malformed. Returns the decoded value.
     */
    static <T> T roundTrip(Consumer<BodyWriter> encoder, Function<BodyReader, T> decoder, Function<T, Consumer<BodyWriter>> reencode) {
        return roundTrip(encoder, decoder, reencode, -1);
    }

    /**
     * As {@link #roundTrip(Consumer, Function, Function)}, where the last {@code optionalTail}
     * bytes may be left off as a whole (an optional field at the end of an older layout).
     */
    static <T> T roundTrip(Consumer<BodyWriter> encoder, Function<BodyReader, T> decoder, Function<T, Consumer<BodyWriter>> reencode,
                           int optionalTail) {
        byte[] bytes = encode(encoder);
        T decoded = decode(bytes, decoder);
        assertThat(encode(reencode.apply(decoded))).as("re-encoded").isEqualTo(bytes);
        for (int n = 0; n < bytes.length; n++) {
            if (n == bytes.length - optionalTail) {
                continue;
            }
            byte[] cut = Arrays.copyOf(bytes, n);
            assertThatThrownBy(() -> decode(cut, decoder)).as("prefix of %d of %d bytes", n, bytes.length)
                    .isInstanceOf(WireException.class);
        }
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> decode(longer, decoder)).as("one trailing byte").isInstanceOf(WireException.class);
        return decoded;
    }
}
