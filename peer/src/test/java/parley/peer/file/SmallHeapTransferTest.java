package parley.peer.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Memory stays bounded: a file 32 times the heap moves through both disk ends in a JVM started
 * with -Xmx16m. What the ends hold is the hash list (32 bytes a chunk: 128 KiB for 4 GiB, 2 MiB
 * at most) and fixed buffers, so 4 GiB with -Xmx64m follows; CI moves 512 MiB (a sparse source)
 * to keep its time and disk use small.
 */
class SmallHeapTransferTest {
    static final long SIZE = 512L << 20;
    @TempDir
    Path tmp;

    @Test
    void aFileMuchLargerThanTheHeapTransfers() throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-Xmx16m", "-cp", System.getProperty("java.class.path"),
                BigFileMain.class.getName(), tmp.toString(), Long.toString(SIZE))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("out.log").toFile()).start();
        try {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished").isTrue();
            assertThat(p.exitValue()).as(Files.readString(tmp.resolve("out.log"))).isZero();
        } finally {
            p.destroyForcibly();
        }
    }
}
