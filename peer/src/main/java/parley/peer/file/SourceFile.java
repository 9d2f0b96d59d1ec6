package parley.peer.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The sending end of one transfer on disk (PROTOCOL.md section 9.7): the source file, hashed
 * once when offered, and a sidecar {@code out-<id>.state} in the transfers directory that keeps
 * the offer, the source path and the hash list, so a restarted sender resumes without hashing
 * the file again: it only checks that the source's size and modification time are unchanged.
 * Worker thread only.
 *
 * <p>Sidecar layout (local, big-endian): magic {@code PRLYSEND}, u32 version, i64 transfer id,
 * i64 size, u32 chunk size, i64 source modification time (ms), bytes32 SHA-256, bytes32 list
 * root, u16 + UTF-8 source path, u16 + UTF-8 offered name, u16 + UTF-8 recipient, then the hash
 * list (N x 32) to the end.
 */
public final class SourceFile implements AutoCloseable {
    static final byte[] MAGIC = "PRLYSEND".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;

    public final long id;
    public final Path source;
    public final Path state;
    public final long size;
    public final int chunk;
    public final long modified;
    public final byte[] sha256;
    public final byte[] root;
    public final byte[] list;
    public final String name;
    public final String to;
    private FileChannel in;

    private SourceFile(long id, Path source, Path state, long size, int chunk, long modified, byte[] sha256,
                       byte[] root, byte[] list, String name, String to) {
        this.id = id;
        this.source = source;
        this.state = state;
        this.size = size;
        this.chunk = chunk;
        this.modified = modified;
        this.sha256 = sha256;
        this.root = root;
        this.list = list;
        this.name = name;
        this.to = to;
    }

    /** Hashes {@code source} (one pass) and writes the sidecar into {@code transfers}. */
    public static SourceFile offer(Path transfers, long id, Path source, String to) throws IOException {
        long size = Files.size(source);
        if (size > FilePayload.MAX_SIZE) {
            throw new IOException("file over " + FilePayload.MAX_SIZE + " bytes");
        }
        long modified = Files.getLastModifiedTime(source).toMillis();
        int chunk = FilePayload.chunkSizeFor(size);
        ChunkHashes.Result h;
        try (FileChannel c = FileChannel.open(source, StandardOpenOption.READ)) {
            h = ChunkHashes.hashFile(c, size, chunk);
        }
        String name = FileNames.sanitise(source.getFileName().toString());
        SourceFile f = new SourceFile(id, source.toAbsolutePath(), stateFile(transfers, id), size, chunk, modified,
                h.whole, ChunkHashes.root(h.list), h.list, name, to);
        f.save(transfers);
        return f;
    }

    static Path stateFile(Path transfers, long id) {
        return transfers.resolve(String.format("out-%016x.state", id));
    }

    private void save(Path transfers) throws IOException {
        Files.createDirectories(transfers);
        byte[] p = source.toString().getBytes(StandardCharsets.UTF_8);
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] t = to.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + 8 + 8 + 4 + 8 + 64 + 6 + p.length + n.length + t.length + list.length);
        b.put(MAGIC).putInt(VERSION).putLong(id).putLong(size).putInt(chunk).putLong(modified).put(sha256).put(root);
        b.putShort((short) p.length).put(p).putShort((short) n.length).put(n).putShort((short) t.length).put(t).put(list);
        Path tmp = state.resolveSibling(state.getFileName() + ".tmp");
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            b.flip();
            while (b.hasRemaining()) {
                c.write(b);
            }
            c.force(true);
        }
        Files.move(tmp, state, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reopens an outgoing transfer after a restart; the file itself is not read. */
    public static SourceFile open(Path state) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(state));
        byte[] magic = new byte[MAGIC.length];
        b.get(magic);
        if (!Arrays.equals(magic, MAGIC) || b.getInt() != VERSION) {
            throw new IOException("not an outgoing transfer state file: " + state);
        }
        long id = b.getLong();
        long size = b.getLong();
        int chunk = b.getInt();
        long modified = b.getLong();
        byte[] sha = new byte[FilePayload.HASH_LENGTH];
        byte[] root = new byte[FilePayload.HASH_LENGTH];
        b.get(sha).get(root);
        Path source = Path.of(string(b));
        String name = string(b);
        String to = string(b);
        byte[] list = new byte[b.remaining()];
        b.get(list);
        if (list.length != FilePayload.chunkCount(size, chunk) * FilePayload.HASH_LENGTH) {
            throw new IOException("corrupt outgoing transfer state file: " + state);
        }
        return new SourceFile(id, source, state, size, chunk, modified, sha, root, list, name, to);
    }

    private static String string(ByteBuffer b) {
        byte[] s = new byte[b.getShort() & 0xFFFF];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    /** True if the source still has the size and modification time it had when offered. */
    public boolean unchanged() {
        try {
            return Files.size(source) == size && Files.getLastModifiedTime(source).toMillis() == modified;
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads up to {@code dst.remaining()} bytes at {@code offset}, within the chunk there; flips {@code dst}. */
    public ByteBuffer read(long offset, ByteBuffer dst) throws IOException {
        if (in == null) {
            in = FileChannel.open(source, StandardOpenOption.READ);
        }
        long end = Math.min(size, (offset / chunk + 1) * chunk);
        dst.limit(dst.position() + (int) Math.min(dst.remaining(), end - offset));
        long pos = offset;
        while (dst.hasRemaining()) {
            int r = in.read(dst, pos);
            if (r < 0) {
                throw new IOException("source shrank: " + source);
            }
            pos += r;
        }
        return dst.flip();
    }

    /** Done, cancelled or failed: forgets the transfer (the source file stays). */
    public void discard() throws IOException {
        close();
        Files.deleteIfExists(state);
    }

    @Override
    public void close() throws IOException {
        if (in != null) {
            in.close();
            in = null;
        }
    }
}
