package parley.server.store;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Owner-only files for the registry's data: the database holds every account's salt, StoredKey
 * and ServerKey and the decoy secret, which allow offline guessing and, with one observed login,
 * impersonation. So the data directory is 0700 and the database with its WAL and shared-memory
 * files 0600, whatever the process umask: permissions are set explicitly, not left to it.
 *
 * <p>SQLite creates {@code -wal} and {@code -shm} with the database file's own mode (and fixes the
 * mode if the umask took bits away), so a 0600 database made before SQLite first opens it gives
 * 0600 companions; files left 0644 by an older version are tightened at every start.
 * On a file system without POSIX permissions nothing is changed.
 */
public final class PrivateFiles {
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    /** The files SQLite keeps beside a database in WAL mode. */
    static final String[] COMPANIONS = {"-wal", "-shm", "-journal"};

    private PrivateFiles() {
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    /** Creates {@code dir} (and missing parents) as 0700; an existing directory is left as it is. */
    public static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (!posix()) {
            Files.createDirectories(dir);
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            createDirectories(parent);
        }
        FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(DIRECTORY);
        Files.createDirectory(dir, mode);
        Files.setPosixFilePermissions(dir, DIRECTORY); // the umask may have taken bits the attribute asked for
    }

    /** Makes sure {@code database} exists as 0600 and any companion file of it is 0600, before SQLite opens it. */
    public static void prepareDatabase(Path database) throws IOException {
        Path dir = database.toAbsolutePath().getParent();
        if (dir != null) {
            createDirectories(dir);
        }
        if (!posix()) {
            return;
        }
        if (!Files.exists(database)) {
            Files.createFile(database, PosixFilePermissions.asFileAttribute(FILE));
        }
        Files.setPosixFilePermissions(database, FILE);
        for (String suffix : COMPANIONS) {
            Path companion = database.resolveSibling(database.getFileName() + suffix);
            if (Files.exists(companion)) {
                Files.setPosixFilePermissions(companion, FILE);
            }
        }
    }
}
