package parley.peer.file;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * What the receiver's disk stage costs per MiB with a full queue (the case the bench trace
 * showed), by commit policy: a commit per verified chunk (the code before the group commit) or
 * {@link GroupCommit}'s 8-chunk batches. Drives a {@link PartFile} on this thread with 16 KiB
 * pieces and prints wall and thread-CPU milliseconds per MiB, the two policies interleaved.
 * Not a test: {@code java -cp peer/target/classes:peer/target/test-classes:<deps>
 * parley.peer.file.CommitCostMain DIR MIB ROUNDS}. The disk is the real one under DIR.
 */
public final class CommitCostMain {
    private CommitCostMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int mib = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        int chunk = 1 << 20;
        byte[] file = new byte[mib * chunk];
        new Random(1).nextBytes(file);
        byte[] list = new byte[mib * FilePayload.HASH_LENGTH];
        for (int i = 0; i < mib; i++) {
            MessageDigest d = ChunkHashes.sha256();
            d.update(file, i * chunk, chunk);
            System.arraycopy(d.digest(), 0, list, i * FilePayload.HASH_LENGTH, FilePayload.HASH_LENGTH);
        }
        byte[] sha = ChunkHashes.sha256().digest(file);
        byte[] root = ChunkHashes.root(list);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        try (TransferWorker worker = new TransferWorker("commit-cost", new LinkedBlockingQueue<Runnable>()::add)) {
            for (int r = 1; r <= rounds; r++) {
                for (boolean grouped : new boolean[] {false, true}) {
                    GroupCommit commits = new GroupCommit(worker);
                    PartFile p = PartFile.create(dir, "alice", r, file.length, chunk, sha, root, "cost-" + grouped + ".bin");
                    p.addHashes(0, ByteBuffer.wrap(list), mib);
                    long wall0 = System.nanoTime();
                    long cpu0 = cpu.getCurrentThreadCpuTime();
                    for (int at = 0; at < file.length; at += FilePayload.MAX_PIECE) {
                        if (p.write(at, ByteBuffer.wrap(file, at, FilePayload.MAX_PIECE)) == PartFile.Status.CHUNK_VERIFIED) {
                            if (grouped) {
                                commits.verified(p, (d, f) -> { });
                            } else {
                                p.commit();
                            }
                        }
                    }
                    Path done = p.finish();
                    double wall = (System.nanoTime() - wall0) / 1e6 / mib;
                    double used = (cpu.getCurrentThreadCpuTime() - cpu0) / 1e6 / mib;
                    System.out.printf("round %d %-26s wall %.2f ms/MiB, cpu %.2f ms/MiB, commits %d%n", r,
                            grouped ? "group commit (8 chunks):" : "commit per chunk (before):", wall, used, p.commits());
                    Files.delete(done);
                }
            }
        }
    }
}
