package parley.core.loop;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class EventLoopTest {
    private final EventLoop loop = new EventLoop("test-loop").start();

    @AfterEach
    void stop() {
        loop.close();
    }

    @Test
    void taskFromAnotherThreadRunsOnTheLoopThread() throws Exception {
        CompletableFuture<Boolean> onLoop = new CompletableFuture<>();
        CompletableFuture<String> name = new CompletableFuture<>();
        loop.execute(() -> {
            onLoop.complete(loop.inLoop());
            name.complete(Thread.currentThread().getName());
        });
        assertThat(onLoop.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(name.get()).isEqualTo("test-loop");
    }

    @Test
    void aBurstOfTasksDoesNotWakeTheSelectorOncePerTask() throws Exception {
        int tasks = 100_000;
        CountDownLatch done = new CountDownLatch(tasks);
        Runnable task = done::countDown;
        long before = loop.wakeupsRequested();
        for (int i = 0; i < tasks; i++) {
            loop.execute(task);
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        // At most one wake-up per time the loop went to sleep; it cannot sleep 100k times here.
        assertThat(loop.wakeupsRequested() - before).isLessThan(tasks / 10);
    }

    @Test
    void timersScheduledOnTheLoopFireInOrder() throws Exception {
        CountDownLatch done = new CountDownLatch(3);
        StringBuffer order = new StringBuffer();
        loop.execute(() -> {
            long now = loop.nanoTime();
            loop.schedule(new Timer(t -> { order.append('c'); done.countDown(); }), now + TimeUnit.MILLISECONDS.toNanos(30));
            loop.schedule(new Timer(t -> { order.append('a'); done.countDown(); }), now + TimeUnit.MILLISECONDS.toNanos(10));
            Timer cancelled = new Timer(t -> order.append('x'));
            loop.schedule(cancelled, now + TimeUnit.MILLISECONDS.toNanos(15));
            loop.schedule(new Timer(t -> { order.append('b'); done.countDown(); }), now + TimeUnit.MILLISECONDS.toNanos(20));
            loop.cancel(cancelled);
        });
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(order.toString()).isEqualTo("abc");
    }

    @Test
    void aFailingTaskDoesNotStopTheLoop() throws Exception {
        loop.execute(() -> {
            throw new IllegalStateException("boom");
        });
        CompletableFuture<Boolean> after = new CompletableFuture<>();
        loop.execute(() -> after.complete(true));
        assertThat(after.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(loop.isRunning()).isTrue();
    }

    @Test
    void anIdleLoopBlocksInSelectInsteadOfSpinning() throws Exception {
        CompletableFuture<Long> start = new CompletableFuture<>();
        loop.execute(() -> start.complete(loop.selects()));
        long before = start.get(10, TimeUnit.SECONDS);
        // Wait on something that never happens; the loop has no timers and no traffic meanwhile.
        new CountDownLatch(1).await(300, TimeUnit.MILLISECONDS);
        CompletableFuture<Long> end = new CompletableFuture<>();
        loop.execute(() -> end.complete(loop.selects()));
        long selects = end.get(10, TimeUnit.SECONDS) - before;
        assertThat(selects).as("selects while idle").isLessThanOrEqualTo(3);
        assertThat(loop.prematureWakeups()).isZero();
    }

    @Test
    void closeEndsTheThread() throws Exception {
        EventLoop other = new EventLoop("short-lived").start();
        AtomicInteger ran = new AtomicInteger();
        other.execute(ran::incrementAndGet);
        other.close();
        assertThat(other.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(other.isRunning()).isFalse();
    }
}
