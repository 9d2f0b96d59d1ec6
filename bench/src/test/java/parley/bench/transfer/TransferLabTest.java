package parley.bench.transfer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.bench.bottleneck.Lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bench transfer --lab} as CI sees it: behaviour only, no goodput figures (those are in
 * docs/PERFORMANCE.md). A lab with random loss and added RTT comes up, a small file goes through
 * both the TCP copy and Parley's transfer between its namespaces, and the lab goes away. CI runs as
 * root; the lab needs it.
 */
class TransferLabTest {
    @BeforeAll
    static void root() {
        assertThat(Lab.isRoot()).as("the transfer lab needs root (CI runs as root)").isTrue();
    }

    @Test
    void aSmallFileGoesThroughBothCopiesAcrossALossyDelayedLabAndTheLabGoesAway(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("file.bin");
        byte[] data = new byte[256 * 1024];
        new Random(7).nextBytes(data);
        Files.write(src, data);
        Lab lab = Lab.up("1gbit", "20ms", 0.05);
        List<TransferLab.Round> rounds;
        try (lab) {
            assertThat(lab.namespaces()).hasSize(3);
            assertThat(lab.loss).isEqualTo(0.05);
            rounds = TransferLab.run(lab, src, dir, 1, "1gbit");
        }
        assertThat(rounds).hasSize(1);
        assertThat(Files.readAllBytes(dir.resolve("lab-round-0").resolve("tcp.bin"))).isEqualTo(data);
        assertThat(Files.readAllBytes(dir.resolve("lab-round-0").resolve("b").resolve("downloads").resolve("file.bin")))
                .isEqualTo(data);
        assertThat(lab.namespaces()).isEmpty();
    }
}
