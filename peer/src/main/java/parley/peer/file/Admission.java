package parley.peer.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether an offered file may be accepted into the downloads directory: the size limit (the
 * {@code --max-file} flag) and the free space there, both checked before anything is written.
 * The answer is a FILE_ANSWER verdict. Worker thread (asks the file system).
 */
public final class Admission {
    /** Free space kept beyond the file, so a download never fills the disk to the last byte. */
    public static final long RESERVE = 64L << 20;

    private Admission() {
    }

    public static int verdict(Path downloads, long size, long limit) throws IOException {
        if (size > limit) {
            return FilePayload.TOO_LARGE;
        }
        Path probe = downloads;
        while (probe != null && !Files.exists(probe)) {
            probe = probe.getParent();
        }
        if (probe == null) {
            throw new IOException("no existing directory above " + downloads);
        }
        long free = Files.getFileStore(probe).getUsableSpace();
        return size > free - RESERVE ? FilePayload.NO_SPACE : FilePayload.ACCEPT;
    }
}
