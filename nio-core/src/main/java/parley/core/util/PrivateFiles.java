package parley.core.util;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files only their owner may read, whatever the process umask: directories 0700, files 0600.
 * The registry's database holds every account's salt, StoredKey and ServerKey; a peer's holds
 * who its user talks to and what was said. Permissions are set explicitly after creation, since
 * the umask may take bits a creation attribute asked for. On a file system without POSIX
 * permissions (Windows) nothing is changed: there the user's profile directory is already private.
 */
public final class PrivateFiles {
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    /** The files SQLite keeps beside a database (WAL mode, or a rollback journal). */
    private static final String[] SQLITE_COMPANIONS = {"-wal", "-shm", "-journal"};

    private PrivateFiles() {
    }

    /**
     * Creates {@code dir} and any missing parents; every directory this creates is 0700. Existing
     * directories are left as they are: the user may have chosen to share a parent.
     */
    public static void createDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        if (Files.isDirectory(absolute)) {
            return;
        }
        Path parent = absolute.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(absolute);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(absolute)) {
                throw e;
            }
            return; // made meanwhile by someone else: theirs to set
        }
        restrict(absolute, DIRECTORY);
    }

    /** Creates {@code file} empty if it is missing, then makes it 0600 either way. */
    public static void createFile(Path file) throws IOException {
        try {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            // an earlier run's file, perhaps from a version that left it 0644: tightened below
        }
        restrict(file, FILE);
    }

    /** Makes {@code file} 0600 if it exists. */
    public static void restrictIfExists(Path file) throws IOException {
        if (Files.exists(file)) {
            restrict(file, FILE);
        }
    }

    /**
     * Before SQLite first opens {@code database}: its directory exists (0700 where this creates it),
     * the database file exists as 0600, and any companion file is tightened to 0600. SQLite gives
     * {@code -wal} and {@code -shm} the database file's own mode, so they are born 0600 too.
     */
    public static void prepareDatabase(Path database) throws IOException {
        Path dir = database.toAbsolutePath().getParent();
        if (dir != null) {
            createDirectories(dir);
        }
        createFile(database);
        for (String suffix : SQLITE_COMPANIONS) {
            restrictIfExists(database.resolveSibling(database.getFileName() + suffix));
        }
    }

    private static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (view != null) {
            view.setPermissions(permissions);
        }
    }
}
