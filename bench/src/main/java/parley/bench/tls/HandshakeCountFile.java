package parley.bench.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The file through which the TLS bench's server child reports its count of full handshakes, and
 * how the bench reads a count it can trust. The child's writer thread rewrites the file now and
 * then as "count generation", the generation going up by one per write; the bench does not
 * sleep a fixed time and hope the writer has run since (a writer slowed by a busy host would
 * leave it an old count), it waits for a write that began after the moment it asks about.
 */
final class HandshakeCountFile {
    static final String FILE = "full-handshakes.txt";
    private static final long POLL_MILLIS = 10;

    /** One write of the file: the count, and which write it was (1, 2, ...). */
    record Snapshot(long count, long generation) {
    }

    private HandshakeCountFile() {
    }

    /** Replaces the file atomically, so that a reader never sees half a write. */
    static void write(Path dir, long count, long generation) throws IOException {
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.writeString(tmp, count + " " + generation);
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
    }

    /** The last write, or null when there is none yet (or it cannot be read). */
    static Snapshot read(Path dir) {
        try {
            String[] parts = Files.readString(dir.resolve(FILE)).trim().split(" ");
            return new Snapshot(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The child's count as of this call: everything it had counted when this was called is in
     * the answer. The write in progress at the call may have taken its count before, so the
     * answer comes from the write after it: two generations past the one seen at the call.
     * Returns -1 if no such write comes within {@code timeoutMillis} (the child is gone).
     */
    static long awaitCurrent(Path dir, long timeoutMillis) throws InterruptedException {
        return awaitAfter(dir, read(dir), timeoutMillis);
    }

    /** As {@link #awaitCurrent}, from a snapshot {@code seen} taken at the moment asked about (null: no file then). */
    static long awaitAfter(Path dir, Snapshot seen, long timeoutMillis) throws InterruptedException {
        long needed = (seen == null ? 0 : seen.generation()) + 2;
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            Snapshot now = read(dir);
            if (now != null && now.generation() >= needed) {
                return now.count();
            }
            if (System.nanoTime() - deadline > 0) {
                return -1;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
