package parley.server.auth;

import parley.server.protocol.scram.SaslPrep;

import org.junit.jupiter.api.Test;
import parley.core.loop.EventLoop;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class HashingPoolTest {
    @Test
    void jobRunsOffTheLoopAndTheResultArrivesOnTheLoop() throws Exception {
        EventLoop loop = new EventLoop("test-loop").start();
        try (HashingPool pool = new HashingPool(loop)) {
            AtomicReference<String> jobThread = new AtomicReference<>();
            AtomicReference<Boolean> callbackInLoop = new AtomicReference<>();
            AtomicReference<ScramCredentials> result = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            byte[] salt = new byte[16];
            loop.execute(() -> pool.submit(() -> {
                jobThread.set(Thread.currentThread().getName());
                return ScramCredentials.derive("pencil", salt, 4096);
            }, (creds, error) -> {
                callbackInLoop.set(loop.inLoop());
                result.set(creds);
                done.countDown();
            }));
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(jobThread.get()).startsWith("hashing-");
            assertThat(callbackInLoop.get()).isTrue();
            assertThat(result.get()).isEqualTo(ScramCredentials.derive("pencil", salt, 4096));
        } finally {
            loop.close();
        }
    }

    @Test
    void failuresAreDeliveredNotSwallowed() throws Exception {
        EventLoop loop = new EventLoop("test-loop").start();
        try (HashingPool pool = new HashingPool(loop)) {
            AtomicReference<Throwable> error = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            pool.submit(() -> SaslPrep.normalize(""), (v, e) -> {
                error.set(e);
                done.countDown();
            });
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(error.get()).isInstanceOf(IllegalArgumentException.class);
        } finally {
            loop.close();
        }
    }

    @Test
    void everyJobOfABurstCompletesExactlyOnce() throws Exception {
        CountDownLatch all = new CountDownLatch(500);
        AtomicInteger sum = new AtomicInteger();
        try (HashingPool pool = new HashingPool(r -> {
            r.run();
            all.countDown();
        }, 2, 1024)) {
            for (int i = 0; i < 500; i++) {
                int n = i;
                assertThat(pool.submit(() -> n, (v, e) -> sum.addAndGet(v))).isTrue();
            }
            assertThat(all.await(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(sum.get()).isEqualTo(499 * 500 / 2);
    }

    @Test
    void saturatedPoolRefusesInsteadOfQueueingWithoutBound() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        try (HashingPool pool = new HashingPool(Runnable::run, 1, 4)) {
            pool.submit(() -> {
                started.countDown();
                return release.await(30, TimeUnit.SECONDS);
            }, (v, e) -> { });
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            int accepted = 0;
            for (int i = 0; i < 10; i++) {
                if (pool.submit(() -> 1, (v, e) -> { })) {
                    accepted++;
                }
            }
            assertThat(accepted).isEqualTo(4);
            release.countDown();
        }
    }
}
