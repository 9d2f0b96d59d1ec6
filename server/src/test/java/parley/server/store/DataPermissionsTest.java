package parley.server.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.server.auth.ScramCredentials;
import parley.server.protocol.client.SyncRegistryClient;
import parley.server.protocol.RegistryOpcodes;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19 item 5: a registry started under umask 022 keeps its data directory 0700 and the
 * database, WAL and shared-memory files 0600, checked after a write while the server runs.
 */
class DataPermissionsTest {
    private static final Pattern READY = Pattern.compile("listening on tcp ([0-9.]+):(\\d+), udp");

    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void aServerUnderUmask022KeepsItsDataOwnerOnly() throws Exception {
        Path data = dir.resolve("data");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The umask is set in a shell that then becomes the server: the JVM inherits it.
        Process p = new ProcessBuilder("sh", "-c", "umask 022 && exec \"$0\" \"$@\"", java,
                "-cp", System.getProperty("java.class.path"), "parley.server.ServerMain",
                "--port", "0", "--udp-port", "0", "--data", data.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            InetSocketAddress at = null;
            String fingerprint = null;
            for (String line; at == null && (line = out.readLine()) != null; ) {
                if (line.startsWith(parley.server.ServerMain.FINGERPRINT_LINE)) {
                    fingerprint = line.substring(parley.server.ServerMain.FINGERPRINT_LINE.length());
                }
                Matcher m = READY.matcher(line);
                if (m.find()) {
                    at = new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
                }
            }
            assertThat(at).as("the server printed its ready line").isNotNull();
            Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "server-output");
            drain.setDaemon(true);
            drain.start();
            try (SyncRegistryClient c = new SyncRegistryClient(at,
                    parley.server.protocol.client.TestTls.clientPinned(fingerprint))) {
                ScramCredentials k = ScramCredentials.derive("pw", new byte[16], ScramCredentials.MIN_ITERATIONS);
                assertThat(c.call(RegistryOpcodes.REGISTER, w -> w.string("alice").bytes(k.salt()).i32(k.iterations())
                        .bytes(k.storedKey()).bytes(k.serverKey())).ok()).isTrue(); // durable: written to the WAL
            }
            Path db = data.resolve("registry.db");
            assertThat(mode(data)).isEqualTo("rwx------");
            assertThat(mode(db)).isEqualTo("rw-------");
            assertThat(data.resolve("registry.db-wal")).exists();
            assertThat(mode(data.resolve("registry.db-wal"))).isEqualTo("rw-------");
            assertThat(mode(data.resolve("server-key.pem"))).as("the TLS private key").isEqualTo("rw-------");
            assertThat(data.resolve("registry.db-shm")).exists();
            assertThat(mode(data.resolve("registry.db-shm"))).isEqualTo("rw-------");
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void filesLeftReadableByAnOlderVersionAreTightenedAtOpen() throws Exception {
        Path db = dir.resolve("registry.db");
        SqliteStore.open(db).close();
        Path wal = dir.resolve("registry.db-wal");
        Files.write(wal, new byte[0]);
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(wal, PosixFilePermissions.fromString("rw-r--r--"));
        SqliteStore again = SqliteStore.open(db);
        try {
            assertThat(mode(db)).isEqualTo("rw-------");
            assertThat(mode(wal)).isEqualTo("rw-------");
        } finally {
            again.close();
        }
    }
}
