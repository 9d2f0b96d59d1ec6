package parley.peer.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19 item 10: the storage queue grew without bound when a contact sent faster than the disk
 * wrote. It now says when it is full, so the loop stops reading, and says when it has room again;
 * it never drops work it took, since that may be a message already acknowledged to its sender.
 */
class StoreWorkerBoundTest {
    @TempDir
    Path dir;

    @Test
    void aFullQueueRefusesIntakeKeepsEveryWriteAndCallsBackWhenHalfDrained() throws Exception {
        CountDownLatch diskStuck = new CountDownLatch(1);
        CountDownLatch room = new CountDownLatch(1);
        AtomicInteger written = new AtomicInteger();
        int capacity = 8;
        try (StoreWorker storage = new StoreWorker("bound-test", Runnable::run, capacity)) {
            storage.onRoom(room::countDown);
            CountDownLatch opened = new CountDownLatch(1);
            storage.open(LocalStore.fileFor(dir, "alice"), s -> null, (r, e) -> opened.countDown());
            assertThat(opened.await(30, TimeUnit.SECONDS)).isTrue();
            CountDownLatch stuckNow = new CountDownLatch(1);
            storage.write(s -> {
                stuckNow.countDown();
                diskStuck.await();
                return null;
            });
            // The worker runs in order: once this write has started, the open is wholly done.
            assertThat(stuckNow.await(30, TimeUnit.SECONDS)).isTrue();
            // A producer that respects the bound, as the loop does for incoming messages.
            int offered = 0;
            while (storage.hasRoom()) {
                int id = ++offered;
                storage.write(s -> {
                    s.addIncoming(id, "bob", "message " + id, id);
                    written.incrementAndGet();
                    return null;
                });
                assertThat(offered).as("the bound holds").isLessThanOrEqualTo(capacity);
            }
            assertThat(storage.queued()).isEqualTo(capacity);
            assertThat(room.getCount()).isEqualTo(1);
            diskStuck.countDown();
            assertThat(room.await(30, TimeUnit.SECONDS)).as("told when there is room again").isTrue();
            assertThat(storage.hasRoom()).isTrue();
            CountDownLatch all = new CountDownLatch(1);
            AtomicInteger rows = new AtomicInteger(-1);
            storage.read(s -> s.history("bob", 100), r -> {
                rows.set(r.size());
                all.countDown();
            }, e -> all.countDown());
            assertThat(all.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(rows.get()).isEqualTo(capacity - 1);
            assertThat(written.get()).isEqualTo(capacity - 1);
        }
    }
}
