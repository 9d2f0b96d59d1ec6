package parley.peer.file;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the unfinished transfers a previous run left: outgoing sidecars in the transfers
 * directory, incoming ones next to their part files in the downloads directory. Worker thread.
 * A sidecar that cannot be read is skipped and logged, never fatal.
 */
final class Sidecars {
    private static final Logger log = LoggerFactory.getLogger(Sidecars.class);

    /** One restored transfer: a receiving end or a sending one. */
    static final class Found {
        final PartFile part;
        final SourceFile source;
        final boolean stale;

        Found(PartFile part, SourceFile source, boolean stale) {
            this.part = part;
            this.source = source;
            this.stale = stale;
        }
    }

    private Sidecars() {
    }

    static List<Found> load(Path downloads, Path outgoing) throws IOException {
        List<Found> found = new ArrayList<>();
        for (Path p : list(outgoing, "out-*.state")) {
            try {
                SourceFile s = SourceFile.open(p);
                found.add(new Found(null, s, !s.unchanged()));
            } catch (IOException | RuntimeException e) {
                log.warn("skipping unreadable transfer state {}: {}", p, e.toString());
            }
        }
        for (Path p : list(downloads, "*" + PartFile.STATE)) {
            try {
                found.add(new Found(PartFile.open(p), null, false));
            } catch (IOException | RuntimeException e) {
                log.warn("skipping unreadable transfer state {}: {}", p, e.toString());
            }
        }
        return found;
    }

    private static List<Path> list(Path dir, String glob) throws IOException {
        List<Path> paths = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return paths;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
            s.forEach(paths::add);
        }
        return paths;
    }
}
