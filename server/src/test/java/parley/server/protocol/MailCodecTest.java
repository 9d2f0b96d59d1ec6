package parley.server.protocol;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import parley.core.wire.ErrorCode;
import parley.core.wire.WireException;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The mailbox bodies of PROTOCOL.md 7.10: each round-trips, every truncation and a trailing byte
 * are refused, and hostile lengths and values are refused before anything is sized from them.
 */
class MailCodecTest {
    @Provide
    Arbitrary<byte[]> blobs() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(64);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(3).ofMaxLength(Limits.MAX_NAME_BYTES);
    }

    @Property(tries = 30)
    void deposit(@ForAll("names") String to, @ForAll long id, @ForAll("blobs") byte[] blob) {
        MailDeposit m = Codec.roundTrip(new MailDeposit(to, id, blob)::encode, MailDeposit::decode, d -> d::encode);
        assertThat(m.recipient()).isEqualTo(to);
        assertThat(m.messageId()).isEqualTo(id);
        assertThat(m.blob()).isEqualTo(blob);
    }

    @Property(tries = 20)
    void depositReplyAckWaiting(@ForAll long at, @ForAll @IntRange(min = 0) int upTo) {
        assertThat(Codec.roundTrip(new MailDepositReply(at)::encode, MailDepositReply::decode, d -> d::encode).expiresAtMillis()).isEqualTo(at);
        assertThat(Codec.roundTrip(new MailAck(upTo)::encode, MailAck::decode, d -> d::encode).upToSequence()).isEqualTo(upTo);
        long count = upTo & 0xFFFF_FFFFL;
        assertThat(Codec.roundTrip(new MailWaiting(count)::encode, MailWaiting::decode, d -> d::encode).count()).isEqualTo(count);
    }

    @Property(tries = 20)
    void fetch(@ForAll @IntRange(min = 0) int after, @ForAll @IntRange(min = 1, max = 256) int max) {
        MailFetch f = Codec.roundTrip(new MailFetch(after, max)::encode, MailFetch::decode, d -> d::encode);
        assertThat(f).isEqualTo(new MailFetch(after, max));
    }

    @Property(tries = 30)
    void page(@ForAll boolean more, @ForAll("blobs") byte[] blob, @ForAll("names") String to, @ForAll long id) {
        List<MailEntry> entries = new ArrayList<>();
        entries.add(MailEntry.sealed(1, 1_000, blob));
        entries.add(MailEntry.expired(2, 2_000, to, id));
        MailPage p = Codec.roundTrip(new MailPage(more, entries)::encode, MailPage::decode, d -> d::encode);
        assertThat(p.more()).isEqualTo(more);
        assertThat(p.entries()).hasSize(2);
        assertThat(p.entries().get(0).blob()).isEqualTo(blob);
        assertThat(p.entries().get(1).recipient()).isEqualTo(to);
        assertThat(p.entries().get(1).messageId()).isEqualTo(id);
        assertThat(p.lastSequence(0)).isEqualTo(2);
        byte[] bytes = Codec.encode(new MailPage(more, entries)::encode);
        assertThat(bytes.length).isEqualTo(MailPage.HEAD_BYTES + MailEntry.sealedBytes(blob.length) + MailEntry.expiredBytes(to.length()));
    }

    @Test
    void aBlobOverTheLimitIsMailTooLargeBeforeAllocation() {
        // The length says 2^32 - 1; the body holds nothing of it.
        byte[] body = Codec.encode(w -> w.string("bob").i64(1).i32(-1));
        assertThatThrownBy(() -> Codec.decode(body, MailDeposit::decode)).isInstanceOf(WireException.class)
                .satisfies(e -> assertThat(((WireException) e).code()).isEqualTo(RegistryErrors.MAIL_TOO_LARGE));
        byte[] justOver = Codec.encode(w -> w.string("bob").i64(1).i32(Limits.MAX_MAIL_BLOB_BYTES + 1).fixed(new byte[Limits.MAX_MAIL_BLOB_BYTES + 1]));
        assertThat(code(justOver, MailDeposit::decode)).isEqualTo(RegistryErrors.MAIL_TOO_LARGE);
        byte[] atLimit = Codec.encode(w -> w.string("bob").i64(1).i32(Limits.MAX_MAIL_BLOB_BYTES).fixed(new byte[Limits.MAX_MAIL_BLOB_BYTES]));
        assertThat(Codec.decode(atLimit, MailDeposit::decode).blob()).hasSize(Limits.MAX_MAIL_BLOB_BYTES);
    }

    @Test
    void hostileValuesAreMalformed() {
        assertThat(code(Codec.encode(w -> w.string("bob").i64(1).i32(0)), MailDeposit::decode)).isEqualTo(ErrorCode.MALFORMED_BODY);
        assertThat(code(Codec.encode(w -> w.string("bob").i64(1).i32(100).fixed(new byte[99])), MailDeposit::decode))
                .isEqualTo(ErrorCode.MALFORMED_BODY);
        assertThat(code(Codec.encode(w -> w.string("x".repeat(33)).i64(1).i32(1).u8(0)), MailDeposit::decode))
                .isEqualTo(ErrorCode.MALFORMED_BODY);
        assertThat(code(Codec.encode(w -> w.i64(-1).u16(1)), MailFetch::decode)).isEqualTo(ErrorCode.MALFORMED_BODY);
        assertThat(code(Codec.encode(w -> w.i64(0).u16(0)), MailFetch::decode)).isEqualTo(ErrorCode.MALFORMED_BODY);
        assertThat(code(Codec.encode(w -> w.i64(0).u16(257)), MailFetch::decode)).isEqualTo(ErrorCode.MALFORMED_BODY);
        assertThat(code(Codec.encode(w -> w.i64(-5)), MailAck::decode)).isEqualTo(ErrorCode.MALFORMED_BODY);
        // A page whose count cannot fit its body, a bad more flag, an unknown entry kind.
        assertThat(code(Codec.encode(w -> w.u8(0).u16(65535)), MailPage::decode)).isEqualTo(ErrorCode.MALFORMED_BODY);
        assertThat(code(Codec.encode(w -> w.u8(2).u16(0)), MailPage::decode)).isEqualTo(ErrorCode.MALFORMED_BODY);
        assertThat(code(Codec.encode(w -> w.u8(0).u16(1).i64(1).u8(3).i64(0).fixed(new byte[8])), MailPage::decode))
                .isEqualTo(ErrorCode.MALFORMED_BODY);
    }

    private static int code(byte[] body, java.util.function.Function<parley.core.wire.BodyReader, ?> decoder) {
        try {
            Codec.decode(body, decoder);
        } catch (WireException e) {
            return e.code();
        }
        throw new AssertionError("decoded a hostile body");
    }
}
