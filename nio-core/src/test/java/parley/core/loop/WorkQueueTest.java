package parley.core.loop;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker primitive's promises, asserted on counts rather than on timing: order, no lost
 * wake-up, one wake-up per burst, no idle polling, and what close does with queued work.
 */
class WorkQueueTest {
    private static final long WAIT_SECONDS = 30;

    @Test
    void oneThreadRunsItemsInOfferOrderOnItsOwnThread() throws Exception {
        List<Integer> seen = new ArrayList<>();
        AtomicReference<String> thread = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        try (WorkQueue<Integer> q = WorkQueue.builder("ordered").start(i -> {
            seen.add(i);
            thread.set(Thread.currentThread().getName());
            if (i == 9_999) {
                done.countDown();
            }
        })) {
            for (int i = 0; i < 10_000; i++) {
                assertThat(q.offer(i)).isTrue();
            }
            assertThat(done.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(q.inWorker()).isFalse();
            CountDownLatch asked = new CountDownLatch(1);
            AtomicReference<Boolean> inWorker = new AtomicReference<>();
            WorkQueue<Runnable> tasks = WorkQueue.forTasks("ordered-tasks");
            tasks.offer(() -> {
                inWorker.set(tasks.inWorker());
                asked.countDown();
            });
            assertThat(asked.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            tasks.close();
            assertThat(inWorker.get()).isTrue();
        }
        assertThat(thread.get()).isEqualTo("ordered");
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.get(i)).isEqualTo(i);
        }
    }

    @Test
    void manyProducersInSmallBurstsLoseNoWakeUp() throws Exception {
        for (int threads : new int[] {1, 3}) {
            for (int producers : new int[] {1, 6}) {
                stress(threads, producers, producers == 1 ? 20_000 : 3_000);
            }
        }
    }

    /**
     * Each producer offers a burst of 1 to 4 items and waits until its burst has run before the
     * next, so every burst lands while the workers are going to sleep, the moment a wake-up can be
     * lost. A lost one strands the burst (nothing polls): the producer's wait then times out.
     * A lone producer spins for its burst and then a little more, so that its next offer lands
     * within nanoseconds of the worker's last item, sweeping across the worker's way to sleep.
     */
    private static void stress(int threads, int producers, int bursts) throws Exception {
        WorkQueueBuilder b = WorkQueue.builder("stress").threads(threads);
        if (threads > 1) {
            b.bounded(1 << 10);
        }
        AtomicInteger stranded = new AtomicInteger();
        AtomicLong offered = new AtomicLong();
        try (WorkQueue<Runnable> q = b.start(Runnable::run)) {
            List<Thread> ts = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int seed = p;
                Thread t = new Thread(() -> {
                    for (int k = 0; k < bursts && stranded.get() == 0; k++) {
                        int size = 1 + (k * 7 + seed) % 4;
                        CountDownLatch burst = new CountDownLatch(size);
                        for (int j = 0; j < size; j++) {
                            while (!q.offer(burst::countDown)) {
                                Thread.onSpinWait();
                            }
                            offered.incrementAndGet();
                        }
                        if (!awaitBurst(burst, producers == 1, k)) {
                            stranded.incrementAndGet();
                        }
                    }
                });
                ts.add(t);
                t.start();
            }
            for (Thread t : ts) {
                t.join();
            }
            assertThat(stranded.get()).as("bursts stranded, %d worker(s), %d producer(s)", threads, producers).isZero();
            assertThat(q.processed()).isEqualTo(offered.get());
        }
    }

    @Test
    void anOfferRacingTheWorkersWayToSleepIsNotLost() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        AtomicInteger races = new AtomicInteger();
        try (WorkQueue<Runnable> q = WorkQueue.forTasks("race")) {
            // The worker has just found the queue empty; another thread offers before the worker
            // announces sleep, so that offer sees no sleeper and unparks nobody.
            q.beforeSleep = () -> {
                if (races.getAndIncrement() == 0) {
                    Thread producer = new Thread(() -> q.offer(ran::countDown));
                    producer.start();
                    try {
                        producer.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            q.offer(() -> { }); // in case the worker went to sleep before the hook was set
            assertThat(ran.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("the racing offer ran").isTrue();
            assertThat(q.wakeups()).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void aBurstOfAHundredThousandCostsOneWakeUpWhileTheWorkerIsBusy() throws Exception {
        int tasks = 100_000;
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch all = new CountDownLatch(tasks);
        try (WorkQueue<Runnable> q = WorkQueue.forTasks("burst")) {
            awaitAsleep(q, 1);
            q.offer(() -> {
                await(release);
                all.countDown();
            });
            for (int i = 1; i < tasks; i++) {
                q.offer(all::countDown);
            }
            release.countDown();
            assertThat(all.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(q.wakeups()).isEqualTo(1);
        }
    }

    @Test
    void freeRunningBurstsWakeFarLessOftenThanTheyOffer() throws Exception {
        int tasks = 100_000;
        for (int round = 0; round < 3; round++) {
            CountDownLatch all = new CountDownLatch(tasks);
            try (WorkQueue<Runnable> q = WorkQueue.forTasks("bursts")) {
                for (int i = 0; i < tasks; i++) {
                    q.offer(all::countDown);
                }
                assertThat(all.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
                // A wake per offer (an unpark on every execute) would count 100,000.
                assertThat(q.wakeups()).isLessThan(tasks / 20);
            }
        }
    }

    @Test
    void anIdleWorkerDoesNotWake() throws Exception {
        try (WorkQueue<Runnable> q = WorkQueue.builder("idle").threads(2).bounded(64).start(Runnable::run)) {
            CountDownLatch ran = new CountDownLatch(1);
            q.offer(ran::countDown);
            assertThat(ran.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            awaitAsleep(q, 2);
            long passes = q.passes();
            long wakeups = q.wakeups();
            // An idle period: a worker that polls (a timed park) would turn its loop here.
            Thread.sleep(300);
            assertThat(q.passes()).isEqualTo(passes);
            assertThat(q.wakeups()).isEqualTo(wakeups);
        }
    }

    @Test
    void anItemThatInterruptsItsWorkerDoesNotMakeItSpin() throws Exception {
        try (WorkQueue<Runnable> q = WorkQueue.forTasks("interrupted")) {
            CountDownLatch ran = new CountDownLatch(1);
            q.offer(() -> {
                Thread.currentThread().interrupt();
                ran.countDown();
            });
            assertThat(ran.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            awaitAsleep(q, 1);
            long passes = q.passes();
            Thread.sleep(100);
            // A spinning worker makes millions of passes in 100 ms; a sleeping one none, or one
            // more for the spurious return LockSupport.park is allowed to make.
            assertThat(q.passes() - passes).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void boundedOfferAnswersFalseWhenFull() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        try (WorkQueue<Runnable> q = WorkQueue.builder("bounded").bounded(4).start(Runnable::run)) {
            q.offer(() -> {
                started.countDown();
                await(release);
            });
            assertThat(started.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            int accepted = 0;
            for (int i = 0; i < 10; i++) {
                if (q.offer(() -> { })) {
                    accepted++;
                }
            }
            assertThat(accepted).isEqualTo(4);
            release.countDown();
        }
    }

    @Test
    void failuresAreCountedAndTheWorkerCarriesOn() throws Exception {
        CountDownLatch after = new CountDownLatch(1);
        try (WorkQueue<Runnable> q = WorkQueue.forTasks("failing")) {
            q.offer(() -> {
                throw new IllegalStateException("expected by the test");
            });
            q.offer(after::countDown);
            assertThat(after.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(q.failures()).isEqualTo(1);
            assertThat(q.processed()).isEqualTo(2);
        }
    }

    @Test
    void drainingCloseRunsEverythingAcceptedAndRefusesLaterOffers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        WorkQueue<Runnable> q = WorkQueue.forTasks("drain");
        q.offer(() -> await(release));
        for (int i = 0; i < 1_000; i++) {
            q.offer(ran::incrementAndGet);
        }
        Thread closer = new Thread(q::close);
        closer.start();
        while (q.isRunning()) {
            Thread.onSpinWait();
        }
        assertThat(q.offer(ran::incrementAndGet)).isFalse();
        release.countDown();
        closer.join();
        assertThat(ran.get()).isEqualTo(1_000);
        assertThat(q.dropped()).isZero();
        assertThat(q.isTerminated()).isTrue();
    }

    @Test
    void droppingCloseDiscardsWhatHasNotStartedAndCountsIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        WorkQueue<Runnable> q = WorkQueue.builder("drop").threads(2).bounded(2048)
                .onClose(WorkQueue.OnClose.DROP).start(Runnable::run);
        Runnable block = () -> {
            started.countDown();
            await(release);
        };
        q.offer(block);
        q.offer(block);
        assertThat(started.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        while (q.processed() < 2) {
            Thread.onSpinWait(); // both workers hold a blocking item
        }
        for (int i = 0; i < 1_000; i++) {
            q.offer(ran::incrementAndGet);
        }
        Thread closer = new Thread(q::close);
        closer.start();
        while (q.isRunning()) {
            Thread.onSpinWait();
        }
        release.countDown();
        closer.join();
        assertThat(ran.get()).isZero();
        assertThat(q.dropped()).isEqualTo(1_000);
    }

    @Test
    void batchHookSeesEachPassOnce() throws Exception {
        AtomicLong items = new AtomicLong();
        AtomicLong batches = new AtomicLong();
        AtomicLong largest = new AtomicLong();
        CountDownLatch release = new CountDownLatch(1);
        WorkQueue.Handler<Runnable> handler = new WorkQueue.Handler<>() {
            @Override
            public void onItem(Runnable item) {
                item.run();
                items.incrementAndGet();
            }

            @Override
            public void onBatchEnd(int count) {
                batches.incrementAndGet();
                largest.accumulateAndGet(count, Math::max);
            }
        };
        try (WorkQueue<Runnable> q = WorkQueue.builder("batches").batchLimit(100).start(handler)) {
            q.offer(() -> await(release));
            for (int i = 0; i < 1_000; i++) {
                q.offer(() -> { });
            }
            release.countDown();
        }
        // Closing drains: the 1,000 queued behind the blocker go in passes of at most 100.
        assertThat(items.get()).isEqualTo(1_001);
        assertThat(largest.get()).isEqualTo(100);
        assertThat(batches.get()).isBetween(11L, 1_001L);
    }

    private static boolean awaitBurst(CountDownLatch burst, boolean spin, int k) {
        try {
            if (!spin) {
                return burst.await(WAIT_SECONDS, TimeUnit.SECONDS);
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (burst.getCount() != 0) {
                if (System.nanoTime() > until) {
                    return false;
                }
                Thread.onSpinWait();
            }
            for (int i = 0; i < (k * 31) % 512; i++) {
                Thread.onSpinWait();
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void awaitAsleep(WorkQueue<?> q, int workers) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (q.sleepingWorkers() < workers) {
            assertThat(System.nanoTime()).as("workers never went to sleep").isLessThan(until);
            Thread.sleep(1);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
