package parley.peer.file;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Run in a JVM with a small heap by {@link SmallHeapTransferTest}: offers a sparse file of
 * {@code args[1]} bytes, moves it piece by piece into a part file on the transfer thread, and
 * exits 0 only if the received file's SHA-256 matches. Any allocation that grows with the file
 * would end it with an OutOfMemoryError instead.
 */
public final class BigFileMain {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long size = Long.parseLong(args[1]);
        Path src = dir.resolve("big.sparse");
        try (RandomAccessFile f = new RandomAccessFile(src.toFile(), "rw")) {
            f.setLength(size);
            f.seek(size / 3);
            f.write("not only zeros".getBytes());
        }
        SourceFile s = SourceFile.offer(dir.resolve("out"), 99, src, "bob");
        PartFile p = PartFile.create(dir.resolve("downloads"), "alice", s.id, s.size, s.chunk, s.sha256, s.root, s.name);
        int n = s.list.length / FilePayload.HASH_LENGTH;
        while (p.hashesHeld() < n) {
            int first = p.hashesHeld();
            int k = Math.min(FilePayload.MAX_HASHES_PER_PAYLOAD, n - first);
            p.addHashes(first, ByteBuffer.wrap(s.list, first * 32, k * 32), k);
        }
        ByteBuffer piece = ByteBuffer.allocateDirect(FilePayload.MAX_PIECE);
        for (long at = 0; at < size; ) {
            piece.clear();
            s.read(at, piece);
            PartFile.Status st = p.write(at, piece);
            if (st != PartFile.Status.OK && st != PartFile.Status.CHUNK_VERIFIED) {
                System.err.println("piece at " + at + ": " + st);
                System.exit(2);
            }
            at += piece.remaining();
        }
        Path done = p.finish();
        s.discard();
        boolean same = done != null && MessageDigest.isEqual(s.sha256, sha(done));
        Files.deleteIfExists(src);
        if (done != null) {
            Files.deleteIfExists(done);
        }
        System.exit(same ? 0 : 3);
    }

    private static byte[] sha(Path p) throws Exception {
        MessageDigest d = ChunkHashes.sha256();
        try (var in = Files.newInputStream(p)) {
            byte[] b = new byte[1 << 16];
            for (int r; (r = in.read(b)) > 0; ) {
                d.update(b, 0, r);
            }
        }
        return d.digest();
    }
}
