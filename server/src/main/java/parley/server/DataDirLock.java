package parley.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps a data directory to one server, as PostgreSQL's {@code postmaster.pid} does: the file
 * {@value #FILE_NAME} holds the owner's PID and an OS lock ({@link FileChannel#tryLock}) for as
 * long as the owner lives. Two servers on one SQLite file would each serve their own in-memory
 * view of it and overwrite each other's changes.
 *
 * <p>The OS drops the lock when its process ends however it ends, kill -9 included, so a file
 * left behind by a dead server is stale by construction: the next start takes the lock and
 * rewrites the PID. The PID in the file is for people; the lock decides.
 */
public final class DataDirLock implements AutoCloseable {
    public static final String FILE_NAME = "server.pid";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** The directory is held by another live process. */
    public static final class HeldException extends Exception {
        private final String holder;

        HeldException(Path dir, String holder) {
            super("data directory " + dir + " is in use by another parley server"
                    + (holder.isEmpty() ? "" : " (pid " + holder + ")") + "; stop it or choose another with --data");
            this.holder = holder;
        }

        /** The PID written by the holder, or "" if unreadable. */
        public String holder() {
            return holder;
        }
    }

    /** Takes the lock on {@code dir} (which must exist) or fails with {@link HeldException}. */
    public static DataDirLock acquire(Path dir) throws IOException, HeldException {
        Path file = dir.resolve(FILE_NAME);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            String holder = readPid(ch);
            ch.close();
            throw new HeldException(dir, holder);
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        ch.force(true);
        return new DataDirLock(file, ch, lock);
    }

    private static String readPid(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            ch.read(b, 0);
            String s = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
            return s.matches("\\d{1,19}") ? s : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Releases the lock and removes the file; a clean stop leaves nothing behind. */
    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(file);
        } finally {
            lock.release();
            channel.close();
        }
    }
}
