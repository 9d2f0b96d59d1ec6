package parley.peer.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link WriteStage}: consecutive pieces become one write, and nothing is lost or misplaced. */
class WriteStageTest {
    @TempDir
    Path dir;

    private static ByteBuffer piece(int length, int fill) {
        ByteBuffer b = ByteBuffer.allocateDirect(length);
        for (int i = 0; i < length; i++) {
            b.put((byte) (fill + i));
        }
        return b.flip();
    }

    private static FileChannel open(Path file) throws java.io.IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    @Test
    void consecutivePiecesStayStagedUntilFlushedAndLandAtTheirOffsets() throws Exception {
        Path file = dir.resolve("f");
        try (FileChannel c = open(file)) {
            WriteStage stage = new WriteStage(c);
            stage.add(0, piece(16_384, 1));
            stage.add(16_384, piece(16_384, 2));
            assertThat(c.size()).as("staged, not written yet").isZero();
            stage.flush();
            assertThat(c.size()).isEqualTo(32_768);
        }
        byte[] got = Files.readAllBytes(file);
        assertThat(got[0]).isEqualTo((byte) 1);
        assertThat(got[16_384]).isEqualTo((byte) 2);
        assertThat(got[16_384 + 5]).isEqualTo((byte) 7);
    }

    @Test
    void aPieceThatDoesNotFollowWritesOutWhatWasStagedFirst() throws Exception {
        Path file = dir.resolve("g");
        try (FileChannel c = open(file)) {
            WriteStage stage = new WriteStage(c);
            stage.add(0, piece(100, 10));
            stage.add(1_000, piece(100, 20)); // a gap: the first is written, the second staged
            assertThat(c.size()).isEqualTo(100);
            stage.flush();
            assertThat(c.size()).isEqualTo(1_100);
            stage.flush(); // nothing staged: nothing happens
            assertThat(c.size()).isEqualTo(1_100);
        }
        byte[] got = Files.readAllBytes(file);
        assertThat(got[99]).isEqualTo((byte) (10 + 99));
        assertThat(got[1_000]).isEqualTo((byte) 20);
    }

    @Test
    void aFullStageWritesItselfOutAndABigPieceGoesStraightToTheFile() throws Exception {
        try (FileChannel c = open(dir.resolve("h"))) {
            WriteStage stage = new WriteStage(c);
            long at = 0;
            for (int i = 0; i < WriteStage.SIZE / 16_384; i++, at += 16_384) {
                stage.add(at, piece(16_384, i));
            }
            assertThat(c.size()).isZero(); // exactly full
            stage.add(at, piece(16_384, 99)); // does not fit: the full stage goes first
            assertThat(c.size()).isEqualTo(WriteStage.SIZE);
            stage.flush();
            stage.add(at + 16_384, piece(WriteStage.SIZE + 1, 5)); // bigger than the stage: written at once
            assertThat(c.size()).isEqualTo(at + 16_384 + WriteStage.SIZE + 1);
        }
    }
}
