package parley.peer.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Disk work runs on the transfer thread, never the caller's, and its outcome comes back through the loop's executor. */
class TransferWorkerTest {
    @TempDir
    Path tmp;

    @Test
    void workRunsOffTheLoopAndRepliesOnIt() throws Exception {
        LinkedBlockingQueue<Runnable> loop = new LinkedBlockingQueue<>();
        try (TransferWorker w = new TransferWorker("files-test", loop::add)) {
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            Path src = Files.write(tmp.resolve("f"), new byte[70_000]);
            AtomicReference<SourceFile> got = new AtomicReference<>();
            w.run(() -> {
                ranOn.set(Thread.currentThread());
                assertThat(w.inWorker()).isTrue();
                return SourceFile.offer(tmp.resolve("out"), 1, src, "bob");
            }, (s, failure) -> got.set(s));
            loop.poll(10, TimeUnit.SECONDS).run();
            assertThat(ranOn.get()).isNotSameAs(Thread.currentThread());
            assertThat(got.get().size).isEqualTo(70_000);

            AtomicReference<Exception> failed = new AtomicReference<>();
            w.run(() -> SourceFile.offer(tmp.resolve("out"), 2, tmp.resolve("missing"), "bob"), (s, f) -> failed.set(f));
            loop.poll(10, TimeUnit.SECONDS).run();
            assertThat(failed.get()).isNotNull();
        }
    }

    /** The group commit's moment: the idle hook runs after the last queued work, not between works. */
    @Test
    void theIdleHookRunsOnceTheQueuedWorkIsAllDone() throws Exception {
        LinkedBlockingQueue<Runnable> loop = new LinkedBlockingQueue<>();
        try (TransferWorker w = new TransferWorker("files-test", loop::add)) {
            List<Integer> doneAtIdle = new ArrayList<>();
            int[] done = {0};
            LinkedBlockingQueue<Integer> idled = new LinkedBlockingQueue<>();
            w.onIdle(() -> {
                doneAtIdle.add(done[0]);
                idled.add(done[0]);
            });
            CountDownLatch gate = new CountDownLatch(1);
            w.run(() -> {
                gate.await();
                return ++done[0];
            }, (r, f) -> { });
            w.run(() -> ++done[0], (r, f) -> { });
            w.run(() -> ++done[0], (r, f) -> { });
            gate.countDown(); // all three are queued before the first ends
            assertThat(idled.poll(10, TimeUnit.SECONDS)).isEqualTo(3);
            w.run(() -> ++done[0], (r, f) -> { });
            assertThat(idled.poll(10, TimeUnit.SECONDS)).isEqualTo(4);
            assertThat(doneAtIdle).containsExactly(3, 4);
        }
    }

    @Test
    void piecesAreAFixedSet() {
        PieceBuffers pool = new PieceBuffers(2);
        ByteBuffer a = pool.take();
        ByteBuffer b = pool.take();
        assertThat(pool.take()).isNull();
        a.put((byte) 1);
        pool.give(a);
        assertThat(pool.take()).isSameAs(a).satisfies(x -> assertThat(x.position()).isZero());
        assertThat(b.capacity()).isEqualTo(FilePayload.MAX_PIECE);
        int[] rooms = {0};
        pool.onRoom(() -> rooms[0]++);
        pool.take();
        pool.give(b);
        assertThat(rooms[0]).as("room again after none was free").isEqualTo(1);
        pool.give(a);
        assertThat(rooms[0]).as("not while one was free").isEqualTo(1);
    }
}
