package parley.bench.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TLS bench reads the child's full-handshake count from a write begun after it asked, never
 * from the write that was under way then (which may hold a count taken before the storm ended).
 * The old reader slept 300 ms and took whatever the file held: in the second step below it
 * would have answered 3.
 */
class HandshakeCountFileTest {
    @TempDir
    Path dir;

    @Test
    void answersFromTheSecondWriteAfterTheCallNotTheOneUnderWay() throws Exception {
        HandshakeCountFile.write(dir, 3, 1);
        HandshakeCountFile.Snapshot seen = HandshakeCountFile.read(dir);
        assertThat(seen).isEqualTo(new HandshakeCountFile.Snapshot(3, 1));

        // The write under way at the call lands: it may have read the count before the call.
        HandshakeCountFile.write(dir, 3, 2);
        assertThat(HandshakeCountFile.awaitAfter(dir, seen, 50)).as("no write begun after the call yet").isEqualTo(-1);

        // The next write began after the call: its count is the one asked for.
        HandshakeCountFile.write(dir, 7, 3);
        assertThat(HandshakeCountFile.awaitAfter(dir, seen, 50)).isEqualTo(7);
    }

    @Test
    void noFileYetNeedsTwoWrites() throws Exception {
        assertThat(HandshakeCountFile.read(dir)).isNull();
        HandshakeCountFile.write(dir, 1, 1);
        assertThat(HandshakeCountFile.awaitAfter(dir, null, 50)).isEqualTo(-1);
        HandshakeCountFile.write(dir, 2, 2);
        assertThat(HandshakeCountFile.awaitAfter(dir, null, 50)).isEqualTo(2);
    }
}
