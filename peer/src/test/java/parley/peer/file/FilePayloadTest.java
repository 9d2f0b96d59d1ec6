package parley.peer.file;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/** The section 9.7 payloads: exact layouts, and every out-of-range field refused before use. */
class FilePayloadTest {
    private final ByteBuffer out = ByteBuffer.allocate(FilePayload.MAX_PAYLOAD);
    private final FilePayload p = new FilePayload();
    private final byte[] sha = filled(0x11);
    private final byte[] root = filled(0x22);

    private static byte[] filled(int v) {
        byte[] b = new byte[FilePayload.HASH_LENGTH];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }

    @Test
    void offerRoundTripsWithItsDocumentedLength() {
        ByteBuffer b = FilePayload.offer(out, 42, 5_000_000, 1 << 20, sha, root, "a.bin");
        assertThat(b.remaining()).isEqualTo(87 + 5);
        assertThat(p.read(b)).isTrue();
        assertThat(p.kind).isEqualTo(FilePayload.OFFER);
        assertThat(p.transfer).isEqualTo(42);
        assertThat(p.size).isEqualTo(5_000_000);
        assertThat(p.chunkSize).isEqualTo(1 << 20);
        assertThat(p.sha256).isEqualTo(sha);
        assertThat(p.root).isEqualTo(root);
        assertThat(p.name).isEqualTo("a.bin");
        assertThat(b.position()).isZero();
    }

    @Test
    void offerWithBadFieldsIsMalformed() {
        assertThat(p.read(FilePayload.offer(out, 1, 10, 3 << 16, sha, root, "x"))).as("not a power of two").isFalse();
        assertThat(p.read(FilePayload.offer(out, 1, 10, 1 << 15, sha, root, "x"))).as("chunk too small").isFalse();
        assertThat(p.read(FilePayload.offer(out, 1, 10, 1 << 25, sha, root, "x"))).as("chunk too large").isFalse();
        assertThat(p.read(FilePayload.offer(out, 1, -1, 1 << 20, sha, root, "x"))).as("negative size").isFalse();
        assertThat(p.read(FilePayload.offer(out, 1, (1L << 40) + 1, 1 << 24, sha, root, "x"))).as("over 2^40").isFalse();
        assertThat(p.read(FilePayload.offer(out, 1, (1L << 36) + 1, 1 << 20, sha, root, "x"))).as("over 65,536 chunks").isFalse();
        ByteBuffer b = FilePayload.offer(out, 1, 10, 1 << 20, sha, root, "xy");
        b.put(b.limit() - 1, (byte) 0xFF);
        assertThat(p.read(b)).as("name not UTF-8").isFalse();
        b = FilePayload.offer(out, 1, 10, 1 << 20, sha, root, "xy");
        assertThat(p.read(b.limit(b.limit() - 1))).as("name length beyond the payload").isFalse();
        b = FilePayload.offer(out, 1, 10, 1 << 20, sha, root, "xy");
        b.putShort(85, (short) 0);
        assertThat(p.read(b.limit(87))).as("empty name").isFalse();
    }

    @Test
    void chunkSizeForKeepsTheCountBounded() {
        assertThat(FilePayload.chunkSizeFor(0)).isEqualTo(1 << 20);
        assertThat(FilePayload.chunkSizeFor(4L << 30)).isEqualTo(1 << 20);
        assertThat(FilePayload.chunkSizeFor((64L << 30) + 1)).isEqualTo(1 << 21);
        assertThat(FilePayload.chunkCount(FilePayload.MAX_SIZE, FilePayload.chunkSizeFor(FilePayload.MAX_SIZE)))
                .isLessThanOrEqualTo(FilePayload.MAX_CHUNKS);
    }

    @Test
    void answerAndResume() {
        ByteBuffer b = FilePayload.answer(out, FilePayload.ANSWER, 7, FilePayload.DECLINE, 0, 0);
        assertThat(b.remaining()).isEqualTo(18);
        assertThat(p.read(b)).isTrue();
        assertThat(p.code).isEqualTo(FilePayload.DECLINE);
        assertThat(p.read(FilePayload.answer(out, FilePayload.RESUME, 7, FilePayload.ACCEPT, 3, 9))).isTrue();
        assertThat(p.kind).isEqualTo(FilePayload.RESUME);
        assertThat(p.index).isEqualTo(3);
        assertThat(p.count).isEqualTo(9);
        assertThat(p.read(FilePayload.answer(out, FilePayload.RESUME, 7, FilePayload.DECLINE, 0, 0))).as("resume declines").isFalse();
        assertThat(p.read(FilePayload.answer(out, FilePayload.ANSWER, 7, 5, 0, 0))).as("unknown verdict").isFalse();
        assertThat(p.read(FilePayload.answer(out, FilePayload.ANSWER, 7, 1, -1, 0))).as("negative chunk").isFalse();
        assertThat(p.read(FilePayload.answer(out, FilePayload.ANSWER, 7, 1, 0, 65_537))).as("hash over the bound").isFalse();
    }

    @Test
    void hashesAreCountedAndBounded() {
        byte[] list = new byte[512 * 32];
        ByteBuffer b = FilePayload.hashes(out, 7, 10, list, 512);
        assertThat(b.remaining()).isEqualTo(15 + 512 * 32);
        assertThat(p.read(b)).isTrue();
        assertThat(p.index).isEqualTo(10);
        assertThat(p.count).isEqualTo(512);
        assertThat(p.dataOffset).isEqualTo(15);
        assertThat(p.read(FilePayload.hashes(out, 7, 10, list, 2).limit(15 + 63))).as("short by one byte").isFalse();
        b = FilePayload.hashes(out, 7, 10, list, 1);
        b.putShort(13, (short) 0);
        assertThat(p.read(b.limit(15))).as("zero hashes").isFalse();
        assertThat(p.read(FilePayload.hashes(out, 7, 65_536, list, 1))).as("index past the bound").isFalse();
    }

    @Test
    void chunkCarriesItsDataInPlace() {
        ByteBuffer data = ByteBuffer.wrap(new byte[]{1, 2, 3});
        ByteBuffer b = FilePayload.chunk(out, 7, 1 << 20, data);
        assertThat(data.remaining()).isEqualTo(3);
        assertThat(p.read(b)).isTrue();
        assertThat(p.offset).isEqualTo(1 << 20);
        assertThat(p.dataOffset).isEqualTo(17);
        assertThat(p.dataLength).isEqualTo(3);
        assertThat(p.read(FilePayload.chunk(out, 7, 0, ByteBuffer.allocate(0)))).as("no data").isFalse();
        assertThat(p.read(FilePayload.chunk(ByteBuffer.allocate(20_000), 7, 0, ByteBuffer.allocate(16_385)))).as("piece too large").isFalse();
        assertThat(p.read(FilePayload.chunk(out, 7, Long.MAX_VALUE - 1, data))).as("offset overflows").isFalse();
        assertThat(p.read(FilePayload.chunk(out, 7, -5, data))).as("negative offset").isFalse();
    }

    @Test
    void ackAndCancel() {
        assertThat(FilePayload.ack(out, 7, 4).remaining()).isEqualTo(13);
        assertThat(p.read(FilePayload.ack(out, 7, 4))).isTrue();
        assertThat(p.index).isEqualTo(4);
        assertThat(p.read(FilePayload.ack(out, 7, -1))).isFalse();
        assertThat(FilePayload.cancel(out, 7, FilePayload.CANCELLED).remaining()).isEqualTo(10);
        assertThat(p.read(FilePayload.cancel(out, 7, FilePayload.SOURCE_CHANGED))).isTrue();
        assertThat(p.code).isEqualTo(FilePayload.SOURCE_CHANGED);
        assertThat(p.read(FilePayload.cancel(out, 7, 0))).isFalse();
        assertThat(p.read(FilePayload.cancel(out, 7, 6))).isFalse();
        assertThat(p.read(FilePayload.cancel(out, 7, 1).limit(9))).as("truncated").isFalse();
    }

    @Test
    void unknownKindsAndShortPayloadsAreMalformed() {
        assertThat(p.read(ByteBuffer.wrap(new byte[]{0x17, 0, 0, 0, 0, 0, 0, 0, 1}))).isFalse();
        assertThat(p.read(ByteBuffer.wrap(new byte[]{0x10, 0}))).isFalse();
        assertThat(p.read(ByteBuffer.allocate(0))).isFalse();
        assertThat(FilePayload.isFileKind(0x10)).isTrue();
        assertThat(FilePayload.isFileKind(0x16)).isTrue();
        assertThat(FilePayload.isFileKind(0x03)).isFalse();
    }
}
