package parley.peer.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19 item 5: the history (who talks to whom, and what was said) was 0644 in a 0755
 * directory. It must be private whatever the umask, so the store runs in a child JVM started
 * under umask 000, the most permissive there is, and the modes are read while the database is
 * open (the -wal and -shm files exist only then).
 */
class FilePermissionsTest {
    @TempDir
    Path dir;

    @Test
    void dataDirectoryIs0700AndHistoryWalAndShmAre0600UnderUmask000() throws Exception {
        Path data = dir.resolve("data");
        String java = ProcessHandle.current().info().command().orElse("java");
        String command = "umask 000; exec \"$0\" -cp \"$1\" \"$2\" \"$3\"";
        Process p = new ProcessBuilder("/bin/sh", "-c", command, java, System.getProperty("java.class.path"),
                OpenStore.class.getName(), data.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        Map<String, String> modes = out.lines().filter(l -> l.startsWith("mode "))
                .map(l -> l.substring(5).split(" ", 2))
                .collect(Collectors.toMap(a -> a[1], a -> a[0]));
        assertThat(modes).as(out).containsEntry("data", "rwx------")
                .containsEntry("data/alice", "rwx------")
                .containsEntry("data/alice/history.db", "rw-------")
                .containsEntry("data/alice/history.db-wal", "rw-------")
                .containsEntry("data/alice/history.db-shm", "rw-------");
    }

    @Test
    void aHistoryLeftReadableByAnEarlierVersionIsTightened() throws Exception {
        Path file = LocalStore.fileFor(dir, "bob");
        Files.createDirectories(file.getParent());
        Files.createFile(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        try (LocalStore s = LocalStore.open(file)) {
            s.addOutgoing(1, "carol", "hi", 1);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    /** The child: opens an account's store under the umask it was started with and prints modes. */
    public static final class OpenStore {
        public static void main(String[] args) throws Exception {
            Path data = Path.of(args[0]);
            try (LocalStore s = LocalStore.open(LocalStore.fileFor(data, "alice"))) {
                s.addOutgoing(1, "bob", "secret", 1);
                Path base = data.getParent();
                for (String name : new String[] {"data", "data/alice", "data/alice/history.db",
                        "data/alice/history.db-wal", "data/alice/history.db-shm"}) {
                    Path f = base.resolve(name);
                    String mode = Files.exists(f) ? PosixFilePermissions.toString(Files.getPosixFilePermissions(f)) : "missing";
                    System.out.println("mode " + mode + " " + name);
                }
            }
        }
    }
}
