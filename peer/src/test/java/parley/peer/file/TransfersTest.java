package parley.peer.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The section 9.7 protocol between two engines: offer, accept, resume after either side is killed, and refusals. */
class TransfersTest {
    static final int MIB = 1 << 20;
    @TempDir
    Path tmp;

    static byte[] bytes(java.nio.ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    @Test
    void anAcceptedFileArrivesWhole() throws Exception {
        try (TransferPair p = new TransferPair(tmp)) {
            Path src = TransferPair.randomFile(tmp.resolve("src"), "photo.jpg", 3 * MIB + 5, 1);
            long id = p.offer(src);
            assertThat(p.run(() -> p.bob.events.contains("offer alice photo.jpg " + (3 * MIB + 5)))).isTrue();
            assertThat(Files.exists(p.bob.downloads)).as("nothing written before accepting").isFalse();
            assertThat(p.bob.engine.accept(id)).isTrue();
            assertThat(p.run(() -> !p.bob.received.isEmpty() && p.alice.events.contains("done"))).isTrue();
            assertThat(Files.readAllBytes(p.bob.received.get(0))).isEqualTo(Files.readAllBytes(src));
            assertThat(p.bob.received.get(0)).isEqualTo(p.bob.downloads.resolve("photo.jpg"));
            assertThat(p.alice.chunkBytesSent).isEqualTo(3 * MIB + 5);
            assertThat(p.bob.acks).isPositive();
            assertThat(p.bob.acksBeyondDisk).as("acks naming chunks not yet durable").isZero();
            assertThat(p.bob.engine.list()).singleElement().extracting(r -> r.state()).isEqualTo("done");
        }
    }

    @Test
    void piecesTravelToAndFromTheDiskInBatches() throws Exception {
        try (TransferPair p = new TransferPair(tmp)) {
            int size = 4 * MIB;
            int pieces = size / FilePayload.MAX_PIECE;
            Path src = TransferPair.randomFile(tmp.resolve("src"), "batch.bin", size, 3);
            long id = p.offer(src);
            assertThat(p.run(() -> p.bob.events.contains("offer alice batch.bin " + size))).isTrue();
            assertThat(p.bob.engine.accept(id)).isTrue();
            assertThat(p.run(() -> !p.bob.received.isEmpty() && p.alice.events.contains("done"))).isTrue();
            assertThat(Files.readAllBytes(p.bob.received.get(0))).isEqualTo(Files.readAllBytes(src));
            // A task per 16 KiB piece made the loop and the transfer thread wake each other for
            // every piece; the sender reads 16 pieces a task, the receiver writes what one turn
            // of its loop took (here up to the fake gate's 16) as one task.
            assertThat(p.alice.worker.tasks()).as("the sender's disk tasks for %d pieces", pieces).isLessThanOrEqualTo(pieces / 8);
            assertThat(p.bob.worker.tasks()).as("the receiver's disk tasks for %d pieces", pieces).isLessThanOrEqualTo(pieces / 4);
        }
    }

    @Test
    void aReceiverKilledAtHalfResumesWithFewBytesSentAgain() throws Exception {
        try (TransferPair p = new TransferPair(tmp)) {
            // 64 MiB: the receiver's fsyncs run on their own thread, so its disk stage runs well
            // ahead of the acks; a smaller file could be whole before the sender sees a third acked
            int size = 64 * MIB;
            Path src = TransferPair.randomFile(tmp.resolve("src"), "big.bin", size, 2);
            long id = p.offer(src);
            p.run(() -> p.bob.events.contains("offered"));
            p.bob.engine.accept(id);
            assertThat(p.run(() -> p.alice.engine.list().get(0).bytes() >= 24 * MIB)).isTrue();
            assertThat(p.bob.received).as("killed before the end").isEmpty();
            p.bob.kill();
            assertThat(p.alice.events).contains("paused");
            p.bob.restart();
            assertThat(p.run(() -> !p.bob.received.isEmpty())).isTrue();
            assertThat(Files.readAllBytes(p.bob.received.get(0))).isEqualTo(Files.readAllBytes(src));
            assertThat(p.alice.chunkBytesSent - size).as("bytes sent again").isLessThan(size / 4);
            assertThat(p.alice.events).contains("resumed");
            assertThat(p.bob.acks).isGreaterThan(1);
            assertThat(p.bob.acksBeyondDisk).as("acks naming chunks not yet durable").isZero();
        }
    }

    @Test
    void aSenderKilledAtHalfResumesWithoutHashingAgain() throws Exception {
        try (TransferPair p = new TransferPair(tmp)) {
            int size = 64 * MIB; // as the receiver's kill: its disk stage runs ahead of its acks
            Path src = TransferPair.randomFile(tmp.resolve("src"), "big.bin", size, 3);
            long id = p.offer(src);
            p.run(() -> p.bob.events.contains("offered"));
            p.bob.engine.accept(id);
            assertThat(p.run(() -> p.bob.engine.list().get(0).bytes() >= 24 * MIB)).isTrue();
            assertThat(p.bob.received).as("killed before the end").isEmpty();
            long before = p.alice.chunkBytesSent;
            p.alice.kill();
            p.alice.restart();
            assertThat(p.run(() -> !p.bob.received.isEmpty())).isTrue();
            assertThat(Files.readAllBytes(p.bob.received.get(0))).isEqualTo(Files.readAllBytes(src));
            assertThat(before).isGreaterThanOrEqualTo(24 * MIB);
            assertThat(p.alice.chunkBytesSent - size).as("bytes sent again").isLessThan(size / 4);
            assertThat(p.bob.events).contains("resumed");
        }
    }

    @Test
    void declineAndCancelFromEitherSide() throws Exception {
        try (TransferPair p = new TransferPair(tmp)) {
            // The receiver's progress counts durable chunks: with the worker busy, the first group
            // commit may come at 8 MiB, with the piece pool's 4 MiB queued behind it. Well short of the end.
            Path src = TransferPair.randomFile(tmp.resolve("src"), "a.bin", (int) (3 * GroupCommit.MAX_UNCOMMITTED_BYTES), 4);
            long declined = p.offer(src);
            p.run(() -> p.bob.events.contains("offered"));
            assertThat(p.bob.engine.decline(declined)).isTrue();
            assertThat(p.run(() -> p.alice.events.contains("declined"))).isTrue();

            long byReceiver = p.offer(src);
            p.run(() -> p.bob.engine.accept(byReceiver));
            p.run(() -> p.bob.engine.list().get(1).bytes() >= MIB);
            assertThat(p.bob.engine.cancel(byReceiver)).isTrue();
            assertThat(p.run(() -> p.alice.events.contains("cancelled"))).isTrue();

            long bySender = p.offer(src);
            p.run(() -> p.bob.engine.accept(bySender));
            p.run(() -> p.bob.engine.list().get(2).bytes() >= MIB);
            assertThat(p.alice.engine.cancel(bySender)).isTrue();
            assertThat(p.run(() -> p.bob.engine.list().get(2).state().equals("cancelled"))).isTrue();
            assertThat(p.run(() -> {
                try (var files = Files.list(p.bob.downloads)) {
                    return files.findAny().isEmpty();
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            })).as("no part file or sidecar left").isTrue();
            assertThat(p.bob.received).isEmpty();
        }
    }

    @Test
    void aFileOverTheLimitIsDeclinedBeforeAnythingIsWritten() throws Exception {
        try (TransferPair p = new TransferPair(tmp)) {
            p.limit = MIB;
            p.bob.start();
            Path src = TransferPair.randomFile(tmp.resolve("src"), "a.bin", 2 * MIB, 5);
            long id = p.offer(src);
            p.run(() -> p.bob.events.contains("offered"));
            p.bob.engine.accept(id);
            assertThat(p.run(() -> p.alice.events.contains("declined") && p.bob.events.contains("declined"))).isTrue();
            assertThat(Files.exists(p.bob.downloads)).isFalse();
        }
    }

    @Test
    void aHostileNameLandsInsideTheDownloads() throws Exception {
        try (TransferPair p = new TransferPair(tmp)) {
            Path src = TransferPair.randomFile(tmp.resolve("src"), "x", 10, 6);
            // the name on the wire is the sender's: rewrite the offer as a hostile sender would
            p.tamper = b -> b[0] == FilePayload.OFFER ? bytes(FilePayload.offer(java.nio.ByteBuffer.allocate(400),
                    java.nio.ByteBuffer.wrap(b).getLong(1), 10, 1 << 20, java.util.Arrays.copyOfRange(b, 21, 53),
                    java.util.Arrays.copyOfRange(b, 53, 85), "../../etc/\u202Epasswd")) : b;
            long id = p.offer(src);
            p.run(() -> p.bob.events.contains("offered"));
            assertThat(p.bob.events).contains("offer alice passwd 10");
            p.bob.engine.accept(id);
            assertThat(p.run(() -> !p.bob.received.isEmpty())).isTrue();
            assertThat(p.bob.received.get(0)).isEqualTo(p.bob.downloads.resolve("passwd"));
        }
    }

    @Test
    void aForgedChunkFailsTheTransferAndIsCounted() throws Exception {
        try (TransferPair p = new TransferPair(tmp)) {
            Path src = TransferPair.randomFile(tmp.resolve("src"), "a.bin", 2 * MIB, 7);
            p.tamper = b -> {
                if (b[0] == FilePayload.CHUNK && java.nio.ByteBuffer.wrap(b).getLong(9) == MIB / 2) {
                    b[100] ^= 1;
                }
                return b;
            };
            long id = p.offer(src);
            p.run(() -> p.bob.events.contains("offered"));
            p.bob.engine.accept(id);
            assertThat(p.run(() -> p.alice.events.contains("failed") && p.bob.events.contains("failed"))).isTrue();
            assertThat(p.bob.engine.forged()).isEqualTo(1);
            assertThat(p.bob.received).isEmpty();
        }
    }

    @Test
    void dataForATransferNeverOfferedIsCountedAndRefused() throws Exception {
        try (TransferPair p = new TransferPair(tmp)) {
            byte[] chunk = new byte[FilePayload.CHUNK_FIXED + 10];
            java.nio.ByteBuffer.wrap(chunk).put((byte) FilePayload.CHUNK).putLong(12345).putLong(0);
            assertThat(p.bob.engine.onPayload("alice", java.nio.ByteBuffer.wrap(chunk))).isZero();
            assertThat(p.bob.engine.unexpected()).isEqualTo(1);
            assertThat(p.bob.pipe).singleElement().satisfies(b -> assertThat(b[0]).isEqualTo((byte) FilePayload.CANCEL));
            assertThat(p.bob.engine.onPayload("alice", java.nio.ByteBuffer.wrap(new byte[]{0x13, 1}))).as("malformed").isEqualTo(1);
        }
    }
}
