package parley.peer.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 helpers for section 9.7: the hash list and whole-file hash of a source file in one
 * streaming pass, and the list root. Worker threads only (hashing never runs on the loop). Memory
 * is one {@link #BUFFER} buffer plus the hash list (at most 65,536 x 32 bytes = 2 MiB), whatever
 * the file's size.
 */
public final class ChunkHashes {
    /** Bytes read per disk call while hashing. */
    static final int BUFFER = 1 << 16;

    private ChunkHashes() {
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /** SHA-256 of the hash list's bytes: the offer's list root. */
    public static byte[] root(byte[] list) {
        return sha256().digest(list);
    }

    /** What one pass over a source file computes. */
    public static final class Result {
        public final byte[] list;
        public final byte[] whole;

        Result(byte[] list, byte[] whole) {
            this.list = list;
            this.whole = whole;
        }
    }

    /** Hashes {@code size} bytes of {@code in} from 0 in chunks of {@code chunk}: the hash list and the whole-file hash. */
    public static Result hashFile(FileChannel in, long size, int chunk) throws IOException {
        int n = FilePayload.chunkCount(size, chunk);
        byte[] list = new byte[n * FilePayload.HASH_LENGTH];
        MessageDigest whole = sha256();
        MessageDigest part = sha256();
        ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        long pos = 0;
        while (pos < size) {
            buf.clear();
            int want = (int) Math.min(buf.capacity(), Math.min(size - pos, chunk - pos % chunk));
            buf.limit(want);
            while (buf.hasRemaining()) {
                if (in.read(buf, pos + buf.position()) < 0) {
                    throw new IOException("file shorter than " + size + " bytes");
                }
            }
            whole.update(buf.array(), 0, want);
            part.update(buf.array(), 0, want);
            pos += want;
            if (pos % chunk == 0 || pos == size) {
                int index = (int) ((pos - 1) / chunk);
                System.arraycopy(part.digest(), 0, list, index * FilePayload.HASH_LENGTH, FilePayload.HASH_LENGTH);
            }
        }
        return new Result(list, whole.digest());
    }
}
