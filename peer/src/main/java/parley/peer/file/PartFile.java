package parley.peer.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The receiving end of one transfer on disk (PROTOCOL.md section 9.7): {@code <name>.part}, the
 * data, and {@code <name>.part.state}, the sidecar that makes it resumable after kill -9. Worker
 * thread only: every call does disk I/O or hashing.
 *
 * <p>Sidecar layout (local, big-endian): magic {@code PRLYPART}, u32 version, i64 transfer id,
 * i64 size, u32 chunk size, bytes32 file SHA-256, bytes32 list root, u32 hashes held, u32 chunks
 * verified, then the hash list (N x 32), then u16 + UTF-8 of the sanitised name and u16 + UTF-8 of
 * the sender. Each chunk is verified as its last byte arrives (hashed incrementally, the data
 * arrives in order); {@link #commitTo}, called in batches by {@link GroupCommit}, forces the data to
 * disk and only then writes and forces the verified count: so the count on disk (the durable
 * count) always names durable, checked chunks, and a resume re-sends from the first chunk not
 * durable without reading any verified one. The whole-file SHA-256 is taken on the worker's hash
 * thread ({@link #hashTo}, asked for with each commit): it reads the chunks verified so far back
 * (from the page cache: they were just written) into the running digest, so the transfer thread
 * hashes each byte once (its chunk's hash), the commit thread only waits on the disk, and
 * finishing reads back only the chunks after the last request. A transfer that resumed (chunks
 * verified by an earlier run, whose bytes this one never saw) reads the whole file once at the
 * end. Memory: the hash list (at most 2 MiB), for the reads one 64 KiB buffer, and
 * for the writes a 256 KiB direct stage ({@link WriteStage}).
 */
public final class PartFile implements AutoCloseable {
    public enum Status { OK, IGNORED, CHUNK_VERIFIED, UNEXPECTED, HASH_MISMATCH }

    static final byte[] MAGIC = "PRLYPART".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int AT_ID = 12;
    static final int AT_SIZE = 20;
    static final int AT_CHUNK = 28;
    static final int AT_SHA = 32;
    static final int AT_ROOT = AT_SHA + FilePayload.HASH_LENGTH;
    static final int AT_HELD = AT_ROOT + FilePayload.HASH_LENGTH;
    static final int AT_VERIFIED = AT_HELD + 4;
    static final int AT_LIST = AT_VERIFIED + 4;
    public static final String PART = ".part";
    public static final String STATE = ".part.state";

    public final long id;
    public final long size;
    public final int chunk;
    public final int chunks;
    public final byte[] sha256;
    public final byte[] root;
    public final String name;
    public final String from;
    public final Path dir;
    public final Path part;
    public final Path state;
    private final byte[] list;
    private final FileChannel data;
    private final FileChannel side;
    private final MessageDigest digest = ChunkHashes.sha256();
    /**
     * The whole file's SHA-256 over bytes 0 to {@link #wholeAt}, fed by {@link #hashTo} (the hash
     * thread; {@link #finish} reads it after the transfer thread settled the hashing).
     */
    private final MessageDigest whole = ChunkHashes.sha256();
    /** Bytes in {@link #whole}, or -1 when it cannot cover the file (resumed). */
    private long wholeAt;
    /** The reads back into {@link #whole}; made on first use. */
    private ByteBuffer readBack;
    /** Pieces of the current chunk not yet written (transfer thread): see {@link WriteStage}. */
    private final WriteStage staged;
    private final ByteBuffer word = ByteBuffer.allocate(4);
    /** The durable count's 4 bytes, written by {@link #commitTo} on the commit thread only. */
    private final ByteBuffer durableWord = ByteBuffer.allocate(4);
    private int held;
    /** Chunks verified, in memory (transfer thread); {@link #durable} of them are on disk and counted in the sidecar. */
    private int verified;
    /** Written by the commit thread ({@link #commitTo}), read by the transfer thread. */
    private volatile int durable;
    /** Commits so far (each one data fsync and one sidecar fsync); tests count them. Commit thread. */
    private volatile int commits;
    private volatile boolean closed;
    private long expected;

    private PartFile(Path dir, Path part, Path state, long id, long size, int chunk, byte[] sha256, byte[] root,
                     String name, String from, byte[] list, int held, int verified) throws IOException {
        this.dir = dir;
        this.part = part;
        this.state = state;
        this.id = id;
        this.size = size;
        this.chunk = chunk;
        this.chunks = FilePayload.chunkCount(size, chunk);
        this.sha256 = sha256;
        this.root = root;
        this.name = name;
        this.from = from;
        this.list = list;
        this.held = held;
        this.verified = verified;
        this.durable = verified;
        this.expected = (long) verified * chunk;
        this.wholeAt = verified == 0 ? 0 : -1;
        this.data = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.side = FileChannel.open(state, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.staged = new WriteStage(data);
    }

    /** A new transfer accepted into {@code dir}: the name must be sanitised already ({@link FileNames}). */
    public static PartFile create(Path dir, String from, long id, long size, int chunk, byte[] sha256, byte[] root,
                                  String name) throws IOException {
        Files.createDirectories(dir);
        Path part = Unique.free(dir, name + PART);
        String base = part.getFileName().toString();
        Path state = dir.resolve(base.substring(0, base.length() - PART.length()) + STATE);
        int n = FilePayload.chunkCount(size, chunk);
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] fromBytes = from.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(AT_LIST + n * FilePayload.HASH_LENGTH + 4 + nameBytes.length + fromBytes.length);
        b.put(MAGIC).putInt(VERSION).putLong(id).putLong(size).putInt(chunk).put(sha256).put(root).putInt(0).putInt(0);
        b.position(AT_LIST + n * FilePayload.HASH_LENGTH);
        b.putShort((short) nameBytes.length).put(nameBytes).putShort((short) fromBytes.length).put(fromBytes).flip();
        try (FileChannel c = FileChannel.open(state, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (b.hasRemaining()) {
                c.write(b);
            }
            c.force(true);
        }
        return new PartFile(dir, part, state, id, size, chunk, sha256.clone(), root.clone(), name, from,
                new byte[n * FilePayload.HASH_LENGTH], 0, 0);
    }

    /** Reopens a transfer from its sidecar after a restart; checks its bounds as it would a peer's. */
    public static PartFile open(Path state) throws IOException {
        long length = Files.size(state);
        if (length < AT_LIST || length > AT_LIST + (long) FilePayload.MAX_CHUNKS * FilePayload.HASH_LENGTH + 4 + 2 * 0xFFFF) {
            throw new IOException("not a transfer state file: " + state);
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(state));
        byte[] magic = new byte[MAGIC.length];
        b.get(magic);
        if (!Arrays.equals(magic, MAGIC) || b.getInt() != VERSION) {
            throw new IOException("not a transfer state file: " + state);
        }
        long id = b.getLong(AT_ID);
        long size = b.getLong(AT_SIZE);
        int chunk = b.getInt(AT_CHUNK);
        int n = FilePayload.chunkCount(size, chunk);
        byte[] sha = new byte[FilePayload.HASH_LENGTH];
        byte[] root = new byte[FilePayload.HASH_LENGTH];
        b.get(AT_SHA, sha).get(AT_ROOT, root);
        int held = b.getInt(AT_HELD);
        int verified = b.getInt(AT_VERIFIED);
        if (held < 0 || held > n || verified < 0 || verified > n || verified > 0 && held < n) {
            throw new IOException("corrupt transfer state file: " + state);
        }
        byte[] list = new byte[n * FilePayload.HASH_LENGTH];
        b.get(AT_LIST, list);
        b.position(AT_LIST + list.length);
        String name = string(b);
        String from = string(b);
        Path dir = state.toAbsolutePath().getParent();
        String base = state.getFileName().toString();
        Path part = dir.resolve(base.substring(0, base.length() - STATE.length()) + PART);
        return new PartFile(dir, part, state, id, size, chunk, sha, root, name, from, list, held, verified);
    }

    private static String string(ByteBuffer b) {
        byte[] s = new byte[b.getShort() & 0xFFFF];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    public int hashesHeld() {
        return held;
    }

    /** Chunks verified so far, durable or not. */
    public int verified() {
        return verified;
    }

    /** Chunks verified and on disk, counted in the sidecar: what an ack may name, where a restart resumes. */
    public int durable() {
        return durable;
    }

    /** Chunks verified but not yet durable (0 once closed: nothing more can be committed). */
    int uncommitted() {
        return closed ? 0 : verified - durable;
    }

    /** Commits done (tests: each is two fsyncs). */
    int commits() {
        return commits;
    }

    /** The offset the next FILE_CHUNK must start at. */
    public long expected() {
        return expected;
    }

    /** Bytes verified and durable. */
    public long durableBytes() {
        return Math.min(size, (long) durable * chunk);
    }

    /**
     * Takes {@code count} hashes at {@code src}'s position (not moved), starting at index
     * {@code first}. UNEXPECTED out of order or past N; HASH_MISMATCH when the list is complete
     * and its root is wrong.
     */
    public Status addHashes(int first, ByteBuffer src, int count) throws IOException {
        if (first != held || count > chunks - held) {
            return Status.UNEXPECTED;
        }
        int len = count * FilePayload.HASH_LENGTH;
        src.duplicate().get(list, first * FilePayload.HASH_LENGTH, len);
        writeFully(side, ByteBuffer.wrap(list, first * FilePayload.HASH_LENGTH, len), AT_LIST + (long) first * FilePayload.HASH_LENGTH);
        if (first + count == chunks && !MessageDigest.isEqual(ChunkHashes.root(list), root)) {
            return Status.HASH_MISMATCH;
        }
        held = first + count;
        putInt(AT_HELD, held);
        side.force(false);
        return Status.OK;
    }

    /** One FILE_CHUNK's data ({@code src}'s remaining bytes, not moved) at file offset {@code offset}. */
    public Status write(long offset, ByteBuffer src) throws IOException {
        int len = src.remaining();
        if (offset < expected) {
            return Status.IGNORED;
        }
        long chunkEnd = Math.min(size, (offset / chunk + 1) * chunk);
        if (held < chunks || offset > expected || offset + len > chunkEnd) {
            return Status.UNEXPECTED;
        }
        if (offset % chunk == 0) {
            digest.reset();
        }
        ByteBuffer d = src.duplicate();
        digest.update(d.duplicate());
        staged.add(offset, d);
        expected = offset + len;
        if (expected < chunkEnd) {
            return Status.OK;
        }
        staged.flush(); // the chunk is in the file before it counts as verified (and a commit forces it)
        int index = (int) (offset / chunk);
        if (!MessageDigest.isEqual(digest.digest(), Arrays.copyOfRange(list, index * FilePayload.HASH_LENGTH,
                (index + 1) * FilePayload.HASH_LENGTH))) {
            expected = (long) index * chunk;
            return Status.HASH_MISMATCH;
        }
        verified = index + 1;
        return Status.CHUNK_VERIFIED;
    }

    /** Makes every verified chunk durable, on the calling thread ({@link #commitTo}). */
    public int commit() throws IOException {
        return commitTo(verified);
    }

    /**
     * Makes chunks up to {@code upTo} durable: forces the data, then writes the count to the
     * sidecar and forces it, in that order, so the count on disk never names data that a crash
     * could lose. Returns the durable count. Does nothing when they are durable already or the
     * file is closed. Runs on the commit thread ({@link GroupCommit}) while the transfer thread
     * goes on writing later chunks: the data of chunks up to {@code upTo} was written before the
     * commit was queued, so the force covers it. The transfer thread settles the commits and the
     * hashing in flight before it finishes, discards or closes the file ({@link GroupCommit#settle}).
     */
    int commitTo(int upTo) throws IOException {
        if (closed || upTo <= durable) {
            return durable;
        }
        data.force(false);
        durableWord.clear();
        durableWord.putInt(upTo).flip();
        writeFully(side, durableWord, AT_VERIFIED);
        side.force(false);
        durable = upTo;
        commits++;
        return upTo;
    }

    /**
     * Feeds the whole-file SHA-256 with chunks up to {@code upTo} (verified, so written), read
     * back. Runs on the hash thread ({@link GroupCommit}), beside the commits: it only reads. Does
     * nothing once the file is closed, or when a resume means the digest must start over at
     * {@link #finish}.
     */
    void hashTo(int upTo) throws IOException {
        if (!closed) {
            hashUpTo(Math.min(size, (long) upTo * chunk));
        }
    }

    /** True when every chunk is verified: {@link #finish} is next. */
    public boolean complete() {
        return verified == chunks && held == chunks;
    }

    /**
     * Checks the whole file's SHA-256 (fed on the hash thread; the chunks after its last request,
     * or after a resume the whole file, read back here), then renames it atomically to the first free name of {@code name},
     * {@code name (1)}, ... and removes the sidecar. Returns the final path, or null when the hash
     * does not match.
     */
    public Path finish() throws IOException {
        if (wholeAt < 0) { // resumed: this run never saw the earlier chunks, so one pass over the file
            whole.reset();
            wholeAt = 0;
        }
        byte[] got = hashUpTo(size) ? whole.digest() : null;
        if (got == null || !MessageDigest.isEqual(got, sha256)) {
            return null;
        }
        data.truncate(size);
        data.force(true);
        close();
        Path target = Unique.free(dir, name);
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(state);
        return target;
    }

    /**
     * Feeds {@link #whole} with the file's bytes from {@link #wholeAt} to {@code end}, read back
     * (written and verified already). False when the file is shorter (the whole hash then fails).
     */
    private boolean hashUpTo(long end) throws IOException {
        if (wholeAt < 0) {
            return false;
        }
        if (readBack == null) {
            readBack = ByteBuffer.allocate(ChunkHashes.BUFFER);
        }
        while (wholeAt < end) {
            readBack.clear().limit((int) Math.min(readBack.capacity(), end - wholeAt));
            int r = data.read(readBack, wholeAt);
            if (r < 0) {
                return false;
            }
            whole.update(readBack.array(), 0, r);
            wholeAt += r;
        }
        return true;
    }

    /** Cancelled or failed: removes the part file and the sidecar. */
    public void discard() throws IOException {
        close();
        Files.deleteIfExists(part);
        Files.deleteIfExists(state);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        staged.drop();
        data.close();
        side.close();
    }

    private void putInt(int at, int v) throws IOException {
        word.clear();
        word.putInt(v).flip();
        writeFully(side, word, at);
    }

    static void writeFully(FileChannel c, ByteBuffer b, long at) throws IOException {
        long pos = at;
        while (b.hasRemaining()) {
            pos += c.write(b, pos);
        }
    }
}
