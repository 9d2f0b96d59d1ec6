package parley.peer.file;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The file-transfer payloads of PROTOCOL.md section 9.7, kinds 0x10-0x16, carried as chat
 * payloads inside the peer session. {@link #read} checks one payload completely (length, every
 * field's range) before anything acts on it, and fills this reusable view: one per loop, so a
 * FILE_CHUNK costs no allocation (its data is left in the buffer, at {@link #dataOffset}). The
 * writers put a payload into a caller's buffer; all follow the same named field lengths.
 */
public final class FilePayload {
    public static final int OFFER = 0x10;
    public static final int ANSWER = 0x11;
    public static final int HASHES = 0x12;
    public static final int CHUNK = 0x13;
    public static final int ACK = 0x14;
    public static final int RESUME = 0x15;
    public static final int CANCEL = 0x16;

    public static final int ACCEPT = 1;
    public static final int DECLINE = 2;
    public static final int TOO_LARGE = 3;
    public static final int NO_SPACE = 4;

    public static final int CANCELLED = 1;
    public static final int HASH_MISMATCH = 2;
    public static final int UNEXPECTED = 3;
    public static final int DISK_ERROR = 4;
    public static final int SOURCE_CHANGED = 5;

    public static final int HASH_LENGTH = 32;
    /** Kind and transfer id: the bytes every payload starts with. */
    static final int HEAD = 1 + 8;
    static final int OFFER_FIXED = HEAD + 8 + 4 + HASH_LENGTH + HASH_LENGTH + 2;
    static final int ANSWER_SIZE = HEAD + 1 + 4 + 4;
    static final int HASHES_FIXED = HEAD + 4 + 2;
    static final int CHUNK_FIXED = HEAD + 8;
    static final int ACK_SIZE = HEAD + 4;
    static final int CANCEL_SIZE = HEAD + 1;

    public static final long MAX_SIZE = 1L << 40;
    public static final int MIN_CHUNK = 1 << 16;
    public static final int MAX_CHUNK = 1 << 24;
    /** The chunk size a sender prefers: 1 MiB, doubled until the chunk count fits. */
    public static final int PREFERRED_CHUNK = 1 << 20;
    public static final int MAX_CHUNKS = 65_536;
    public static final int MAX_NAME = 255;
    public static final int MAX_HASHES_PER_PAYLOAD = 512;
    /** Data bytes in one FILE_CHUNK: fits the chat session's 20,497-byte message limit. */
    public static final int MAX_PIECE = 16_384;
    /** The largest payload of this section (a full FILE_HASHES). */
    public static final int MAX_PAYLOAD = HASHES_FIXED + MAX_HASHES_PER_PAYLOAD * HASH_LENGTH;

    // ---- the view filled by read ---------------------------------------------------------------
    public int kind;
    public long transfer;
    public long size;
    public int chunkSize;
    public final byte[] sha256 = new byte[HASH_LENGTH];
    public final byte[] root = new byte[HASH_LENGTH];
    public String name;
    /** ANSWER/RESUME verdict, CANCEL reason. */
    public int code;
    /** ANSWER/RESUME: first chunk wanted. ACK: chunks verified. HASHES: first index. */
    public int index;
    /** ANSWER/RESUME: first hash wanted. HASHES: count. */
    public int count;
    /** CHUNK: file offset of the data. */
    public long offset;
    /** CHUNK, HASHES: where the data or hashes start in the buffer given to read, and their length. */
    public int dataOffset;
    public int dataLength;

    /** True if {@code kind} is one of this section's payload kinds. */
    public static boolean isFileKind(int kind) {
        return kind >= OFFER && kind <= CANCEL;
    }

    /** FILE_HASHES and FILE_CHUNK: the kinds that travel on the session's stream 1, and only there (PROTOCOL.md 9.9). */
    public static boolean isBulkKind(int kind) {
        return kind == HASHES || kind == CHUNK;
    }

    /** The chunk count of a file of {@code size} bytes cut in chunks of {@code chunk} bytes. */
    public static int chunkCount(long size, int chunk) {
        return (int) ((size + chunk - 1) / chunk);
    }

    /** The chunk size a sender uses for a file of {@code size} bytes (section 9.7). */
    public static int chunkSizeFor(long size) {
        int c = PREFERRED_CHUNK;
        while (chunkCount(size, c) > MAX_CHUNKS && c < MAX_CHUNK) {
            c <<= 1;
        }
        return c;
    }

    /**
     * Reads the payload from position to limit of {@code in} (not moved). False when it is
     * malformed: the caller refuses it with REJECT MALFORMED and nothing else happens.
     */
    public boolean read(ByteBuffer in) {
        int p = in.position();
        int len = in.remaining();
        if (len < HEAD) {
            return false;
        }
        kind = in.get(p) & 0xFF;
        transfer = in.getLong(p + 1);
        int b = p + HEAD;
        switch (kind) {
            case OFFER:
                return readOffer(in, b, len);
            case ANSWER:
            case RESUME:
                if (len != ANSWER_SIZE) {
                    return false;
                }
                code = in.get(b) & 0xFF;
                index = in.getInt(b + 1);
                count = in.getInt(b + 5);
                return code >= ACCEPT && code <= NO_SPACE && (kind == ANSWER || code == ACCEPT)
                        && index >= 0 && index <= MAX_CHUNKS && count >= 0 && count <= MAX_CHUNKS;
            case HASHES:
                if (len < HASHES_FIXED) {
                    return false;
                }
                index = in.getInt(b);
                count = in.getShort(b + 4) & 0xFFFF;
                dataOffset = b + 6;
                dataLength = count * HASH_LENGTH;
                return count >= 1 && count <= MAX_HASHES_PER_PAYLOAD && len == HASHES_FIXED + dataLength
                        && index >= 0 && index + count <= MAX_CHUNKS;
            case CHUNK:
                if (len < CHUNK_FIXED + 1 || len > CHUNK_FIXED + MAX_PIECE) {
                    return false;
                }
                offset = in.getLong(b);
                dataOffset = b + 8;
                dataLength = len - CHUNK_FIXED;
                return offset >= 0 && offset <= MAX_SIZE - dataLength;
            case ACK:
                if (len != ACK_SIZE) {
                    return false;
                }
                index = in.getInt(b);
                return index >= 0 && index <= MAX_CHUNKS;
            case CANCEL:
                if (len != CANCEL_SIZE) {
                    return false;
                }
                code = in.get(b) & 0xFF;
                return code >= CANCELLED && code <= SOURCE_CHANGED;
            default:
                return false;
        }
    }

    private boolean readOffer(ByteBuffer in, int b, int len) {
        if (len < OFFER_FIXED + 1) {
            return false;
        }
        size = in.getLong(b);
        chunkSize = in.getInt(b + 8);
        int n = in.getShort(b + 12 + 2 * HASH_LENGTH) & 0xFFFF;
        if (size < 0 || size > MAX_SIZE || Integer.bitCount(chunkSize) != 1 || chunkSize < MIN_CHUNK
                || chunkSize > MAX_CHUNK || chunkCount(size, chunkSize) > MAX_CHUNKS
                || n < 1 || n > MAX_NAME || len != OFFER_FIXED + n) {
            return false;
        }
        in.get(b + 12, sha256);
        in.get(b + 12 + HASH_LENGTH, root);
        try {
            name = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(in.slice(b - HEAD + OFFER_FIXED, n)).toString();
        } catch (CharacterCodingException e) {
            return false;
        }
        return true;
    }

    // ---- writers: each clears out, writes, flips, and returns it --------------------------------

    public static ByteBuffer offer(ByteBuffer out, long id, long size, int chunk, byte[] sha256, byte[] root, String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length < 1 || n.length > MAX_NAME) {
            throw new IllegalArgumentException("name of " + n.length + " UTF-8 bytes");
        }
        out.clear();
        out.put((byte) OFFER).putLong(id).putLong(size).putInt(chunk).put(sha256).put(root).putShort((short) n.length).put(n);
        return out.flip();
    }

    /** An ANSWER ({@link #ANSWER}) or a RESUME ({@link #RESUME}). */
    public static ByteBuffer answer(ByteBuffer out, int kind, long id, int verdict, int firstChunk, int firstHash) {
        out.clear();
        out.put((byte) kind).putLong(id).put((byte) verdict).putInt(firstChunk).putInt(firstHash);
        return out.flip();
    }

    /** A HASHES payload of {@code count} hashes from {@code list} (32 bytes each), starting at hash {@code first}. */
    public static ByteBuffer hashes(ByteBuffer out, long id, int first, byte[] list, int count) {
        out.clear();
        out.put((byte) HASHES).putLong(id).putInt(first).putShort((short) count).put(list, 0, count * HASH_LENGTH);
        return out.flip();
    }

    /** A CHUNK payload: the header, then {@code data}'s remaining bytes (not moved). */
    public static ByteBuffer chunk(ByteBuffer out, long id, long offset, ByteBuffer data) {
        out.clear();
        out.put((byte) CHUNK).putLong(id).putLong(offset).put(data.duplicate());
        return out.flip();
    }

    public static ByteBuffer ack(ByteBuffer out, long id, int verified) {
        out.clear();
        out.put((byte) ACK).putLong(id).putInt(verified);
        return out.flip();
    }

    public static ByteBuffer cancel(ByteBuffer out, long id, int reason) {
        out.clear();
        out.put((byte) CANCEL).putLong(id).put((byte) reason);
        return out.flip();
    }
}
