package parley.server.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import parley.core.loop.EventLoop;
import parley.core.tcp.ConnectionHandler;
import parley.core.tcp.TcpConfig;
import parley.core.tcp.TcpConnection;
import parley.core.tcp.TcpListener;
import parley.core.wire.Header;
import parley.core.wire.MessageClass;
import parley.server.policy.Visibility;

import java.io.DataInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The committer's own rules, on a {@link FakeStore}: no database, no timing. */
class GroupCommitterTest {
    private final ExecutorService loopLike = Executors.newSingleThreadExecutor(r -> new Thread(r, "fake-loop"));
    private final AtomicInteger tasksPosted = new AtomicInteger();
    private final Executor completions = task -> {
        tasksPosted.incrementAndGet();
        loopLike.execute(task);
    };
    private final FakeStore store = new FakeStore();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        loopLike.shutdown();
        assertThat(loopLike.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    private GroupCommitter start(GroupCommitter g) {
        toClose.add(0, g);
        return g;
    }

    /** Holds the worker inside a batch of its own until the returned latch is counted down. */
    private static CountDownLatch hold(GroupCommitter g) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holding = new CompletableFuture<>();
        g.submit(s -> {
            holding.complete(null);
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }, (v, e) -> { });
        holding.get(30, TimeUnit.SECONDS);
        return release;
    }

    private static <T> CompletableFuture<T> future(List<CompletableFuture<T>> into) {
        CompletableFuture<T> f = new CompletableFuture<>();
        into.add(f);
        return f;
    }

    private static <T> Completion<T> to(CompletableFuture<T> f) {
        return (v, e) -> {
            if (e != null) {
                f.completeExceptionally(e);
            } else {
                f.complete(v);
            }
        };
    }

    private static StorageFailure.Kind failureOf(CompletableFuture<?> f) throws Exception {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return ((StorageFailure) e.getCause()).kind();
        }
        return null;
    }

    @Test
    void aFailingRequestIsUndoneAloneTheBatchCommitsOnceAndItsCompletionsAreOneTask() throws Exception {
        GroupCommitter g = start(GroupCommitter.start(store, completions));
        CountDownLatch release = hold(g);
        List<CompletableFuture<Boolean>> fs = new ArrayList<>();
        g.setVisibility(1, Visibility.EVERYONE, to(future(fs)));
        g.setVisibility(FakeStore.REFUSED, Visibility.EVERYONE, to(future(fs)));
        g.setVisibility(2, Visibility.EVERYONE, to(future(fs)));
        int postedBefore = tasksPosted.get();
        store.log.clear();
        release.countDown();
        assertThat(fs.get(0).get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(failureOf(fs.get(1))).isEqualTo(StorageFailure.Kind.CONSTRAINT);
        assertThat(fs.get(2).get(30, TimeUnit.SECONDS)).isTrue();
        // The held batch's commit, then the three requests in one transaction.
        assertThat(store.log).containsExactly("release", "commit",
                "begin", "savepoint", "set 1", "release", "savepoint", "rollback-to",
                "savepoint", "set 2", "release", "commit");
        assertThat(tasksPosted.get() - postedBefore).as("the held batch's task, then one for all three").isEqualTo(2);
        assertThat(g.commits()).isEqualTo(2);
        assertThat(g.requests()).isEqualTo(4);
    }

    @Test
    void aMailDepositRunsWithoutASavepointOfItsOwn() throws Exception {
        GroupCommitter g = start(GroupCommitter.start(store, completions));
        CountDownLatch release = hold(g);
        CompletableFuture<MailDepositResult> deposit = new CompletableFuture<>();
        g.mailDeposit(1, 2, 7, 0, 1, new byte[] {1}, true, to(deposit)); // FakeStore has no mailbox: it fails
        g.setVisibility(1, Visibility.EVERYONE, to(new CompletableFuture<>()));
        store.log.clear();
        release.countDown();
        assertThat(failureOf(deposit)).isEqualTo(StorageFailure.Kind.OTHER);
        // one statement is atomic by itself in SQLite: the deposit needs no SAVEPOINT/RELEASE pair
        assertThat(store.log).containsExactly("release", "commit", "begin", "savepoint", "set 1", "release", "commit");
    }

    @Test
    void everyCompletionRunsAfterTheCommitThatCarriedIt() throws Exception {
        GroupCommitter g = start(GroupCommitter.start(store, completions));
        CountDownLatch release = hold(g);
        List<CompletableFuture<Boolean>> fs = new ArrayList<>();
        List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < 10; i++) {
            int commitsWhenSubmitted = store.commits.get();
            CompletableFuture<Boolean> f = future(fs);
            g.setVisibility(i, Visibility.EVERYONE, (v, e) -> {
                if (store.commits.get() <= commitsWhenSubmitted + 1) { // +1: the held batch
                    problems.add("completion before its commit");
                }
                f.complete(v);
            });
        }
        release.countDown();
        for (CompletableFuture<Boolean> f : fs) {
            assertThat(f.get(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void aFailedCommitFailsTheWholeBatchWithTheStoresKind() throws Exception {
        GroupCommitter g = start(GroupCommitter.start(store, completions));
        CountDownLatch release = hold(g);
        List<CompletableFuture<Boolean>> fs = new ArrayList<>();
        g.setVisibility(1, Visibility.EVERYONE, to(future(fs)));
        g.setVisibility(2, Visibility.EVERYONE, to(future(fs)));
        store.failCommit = StorageFailure.Kind.FULL;
        release.countDown();
        assertThat(failureOf(fs.get(0))).isEqualTo(StorageFailure.Kind.FULL);
        assertThat(failureOf(fs.get(1))).isEqualTo(StorageFailure.Kind.FULL);
        assertThat(store.log).contains("rollback");
    }

    @Test
    void aFullQueueRefusesWithOverloadedAndCloseRefusesWithClosed() throws Exception {
        int capacity = 4;
        GroupCommitter g = start(GroupCommitter.start(store, completions, capacity));
        CountDownLatch release = hold(g);
        List<CompletableFuture<Boolean>> fs = new ArrayList<>();
        for (int i = 0; i < capacity + 1; i++) {
            g.setVisibility(i, Visibility.EVERYONE, to(future(fs)));
        }
        assertThat(failureOf(fs.get(capacity))).isEqualTo(StorageFailure.Kind.OVERLOADED);
        release.countDown();
        for (int i = 0; i < capacity; i++) {
            assertThat(fs.get(i).get(30, TimeUnit.SECONDS)).isTrue();
        }
        g.close();
        assertThat(store.closed).as("close closes the store after the worker").isTrue();
        CompletableFuture<Boolean> late = new CompletableFuture<>();
        g.setVisibility(9, Visibility.EVERYONE, to(late));
        assertThat(failureOf(late)).isEqualTo(StorageFailure.Kind.CLOSED);
    }

    /**
     * The replies one group commit releases leave in one write per connection: the completions
     * of the batch run as one loop task inside a batching scope.
     */
    @Test
    void aBatchOfCompletionsToOneConnectionLeavesInOneSocketWrite() throws Exception {
        EventLoop loop = new EventLoop("registry-loop").start();
        toClose.add(loop);
        BlockingQueue<TcpConnection> accepted = new LinkedBlockingQueue<>();
        int port = onLoop(loop, () -> {
            try {
                return TcpListener.bind(loop, new InetSocketAddress("127.0.0.1", 0), c -> new ConnectionHandler() {
                    @Override
                    public void onOpen(TcpConnection connection) {
                        accepted.add(connection);
                    }

                    @Override
                    public void onFrame(TcpConnection connection, ByteBuffer buffer, int offset, int length) {
                    }
                }, TcpConfig.DEFAULT).localAddress().getPort();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        GroupCommitter g = start(GroupCommitter.start(store, loop));
        int n = 100;
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout(10_000);
            TcpConnection c = accepted.poll(10, TimeUnit.SECONDS);
            assertThat(c).isNotNull();
            CountDownLatch release = hold(g);
            long before = onLoop(loop, c::socketWrites);
            for (int i = 0; i < n; i++) {
                int correlation = i;
                g.setVisibility(i, Visibility.EVERYONE, (v, e) -> c.write(reply(correlation)));
            }
            release.countDown();
            DataInputStream in = new DataInputStream(client.getInputStream());
            for (int i = 0; i < n; i++) {
                byte[] frame = new byte[Header.LENGTH];
                in.readFully(frame);
                assertThat(new Header().wrap(ByteBuffer.wrap(frame), 0).correlationId()).isEqualTo(i);
            }
            assertThat(onLoop(loop, c::socketWrites) - before).as("socket writes for %d replies", n).isEqualTo(1);
        }
    }

    private static ByteBuffer reply(int correlation) {
        ByteBuffer b = ByteBuffer.allocate(Header.LENGTH);
        new Header().wrap(b, 0).set(MessageClass.COMMAND, 1, 0, correlation, 0);
        return b;
    }

    private static <T> T onLoop(EventLoop loop, Supplier<T> s) throws Exception {
        return loop.submit(s::get).get(10, TimeUnit.SECONDS);
    }
}
