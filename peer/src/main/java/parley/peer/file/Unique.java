package parley.peer.file;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** The first free name in a directory: {@code a.txt}, then {@code a (1).txt}, {@code a (2).txt}, ... */
final class Unique {
    /** Gives up after this many: a directory that full of one name is an attack or a bug. */
    static final int MAX_SUFFIX = 9_999;

    private Unique() {
    }

    static Path free(Path dir, String name) {
        int dot = name.indexOf('.', 1);
        String stem = dot < 0 ? name : name.substring(0, dot);
        String ext = dot < 0 ? "" : name.substring(dot);
        for (int i = 0; i <= MAX_SUFFIX; i++) {
            Path p = dir.resolve(i == 0 ? name : stem + " (" + i + ")" + ext);
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                return p;
            }
        }
        throw new IllegalStateException("no free name for " + name + " in " + dir);
    }
}
