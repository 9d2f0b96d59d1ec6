package parley.core.loop;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What happens when callbacks on the loop fail: an exception from a timer is contained like one
 * from a task, and an error that does kill the loop reaches its death hook instead of leaving a
 * process with no loop behind.
 */
class EventLoopFailureTest {

    /** A registered channel that does nothing; it shows whether the loop closed its channels. */
    private static class Idle implements Selectable {
        @Override
        public void onReady(SelectionKey key) {
        }

        @Override
        public void failed(Throwable cause) {
        }

        @Override
        public void closeForShutdown() {
        }
    }

    @Test
    void aThrowingTimerDoesNotStopOtherTimersTasksOrChannels() throws Exception {
        try (EventLoop loop = new EventLoop("timer-failure").start();
             DatagramChannel channel = DatagramChannel.open()) {
            channel.bind(new InetSocketAddress("127.0.0.1", 0));
            channel.configureBlocking(false);
            CountDownLatch laterTimerRan = new CountDownLatch(1);
            loop.execute(() -> {
                try {
                    loop.register(channel, SelectionKey.OP_READ, new Idle());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                long now = loop.nanoTime();
                loop.schedule(new Timer(t -> {
                    throw new IllegalStateException("a listener bug reached through a timer");
                }), now);
                loop.schedule(new Timer(t -> laterTimerRan.countDown()), now + TimeUnit.MILLISECONDS.toNanos(1));
            });
            assertThat(laterTimerRan.await(10, TimeUnit.SECONDS)).as("a later timer still fires").isTrue();
            CompletableFuture<Long> failures = new CompletableFuture<>();
            loop.execute(() -> failures.complete(loop.timerFailures()));
            assertThat(failures.get(10, TimeUnit.SECONDS)).as("task after the failure runs; failure counted").isEqualTo(1);
            assertThat(loop.isRunning()).isTrue();
            assertThat(channel.isOpen()).as("the loop did not close its channels").isTrue();
            assertThat(channel.isRegistered()).isTrue();
        }
    }

    @Test
    void aTimerThatThrowsInTheSameTurnAsOthersDoesNotSkipThem() throws Exception {
        ManualClock clock = new ManualClock(0);
        TimerQueue q = new TimerQueue();
        StringBuilder order = new StringBuilder();
        q.schedule(new Timer(t -> order.append('a')), 1);
        q.schedule(new Timer(t -> {
            throw new IllegalArgumentException("boom");
        }), 2);
        q.schedule(new Timer(t -> order.append('c')), 3);
        StringBuilder failures = new StringBuilder();
        int fired = q.expire(clock.nanoTime() + 10, 100, e -> failures.append(e.getMessage()));
        assertThat(fired).isEqualTo(3);
        assertThat(order.toString()).isEqualTo("ac");
        assertThat(failures.toString()).isEqualTo("boom");
    }

    @Test
    void aLoopThatDiesCallsItsDeathHookAfterClosingItsChannels() throws Exception {
        CompletableFuture<Throwable> cause = new CompletableFuture<>();
        CompletableFuture<String> loopName = new CompletableFuture<>();
        EventLoop loop = new EventLoop("doomed").onDeath((name, t) -> {
            loopName.complete(name);
            cause.complete(t);
        }).start();
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.bind(new InetSocketAddress("127.0.0.1", 0));
            channel.configureBlocking(false);
            CountDownLatch registered = new CountDownLatch(1);
            loop.execute(() -> {
                try {
                    loop.register(channel, SelectionKey.OP_READ, new Idle() {
                        @Override
                        public void closeForShutdown() {
                            try {
                                channel.close();
                            } catch (Exception ignored) {
                                // the test only checks that the close was attempted
                            }
                        }
                    });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                registered.countDown();
            });
            assertThat(registered.await(10, TimeUnit.SECONDS)).isTrue();
            Error fatal = new OutOfMemoryError("synthetic, from a timer");
            loop.execute(() -> loop.schedule(new Timer(t -> {
                throw fatal;
            }), loop.nanoTime()));
            assertThat(cause.get(10, TimeUnit.SECONDS)).isSameAs(fatal);
            assertThat(loopName.get()).isEqualTo("doomed");
            assertThat(loop.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(loop.isRunning()).isFalse();
            assertThat(channel.isOpen()).as("channels closed before the hook ran").isFalse();
        }
    }

    @Test
    void theDefaultHookServesLoopsWithoutTheirOwn() throws Exception {
        CompletableFuture<Throwable> cause = new CompletableFuture<>();
        EventLoop.setDefaultDeathHook((name, t) -> cause.complete(t));
        try {
            EventLoop loop = new EventLoop("doomed-by-default").start();
            Error fatal = new StackOverflowError("synthetic, from a task");
            loop.execute(() -> {
                throw fatal;
            });
            assertThat(cause.get(10, TimeUnit.SECONDS)).isSameAs(fatal);
            assertThat(loop.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            EventLoop.setDefaultDeathHook(null);
        }
    }
}
