package parley.server.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import parley.server.policy.Visibility;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A serialization failure or deadlock (CONFLICT, SQLSTATE 40001/40P01) is retried by running the
 * whole batch again, a bounded number of times; other failures are not retried. On a
 * {@link FakeStore}: no database, no timing.
 */
class ConflictRetryTest {
    private final ExecutorService loopLike = Executors.newSingleThreadExecutor(r -> new Thread(r, "fake-loop"));
    private final FakeStore store = new FakeStore();
    private final GroupCommitter committer = GroupCommitter.start(store, loopLike);

    @AfterEach
    void tearDown() throws Exception {
        committer.close();
        loopLike.shutdown();
        assertThat(loopLike.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    private CompletableFuture<Boolean> setVisibility(long account) {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        committer.setVisibility(account, Visibility.EVERYONE, (v, e) -> {
            if (e != null) {
                f.completeExceptionally(e);
            } else {
                f.complete(v);
            }
        });
        return f;
    }

    private static StorageFailure.Kind kindOf(CompletableFuture<?> f) {
        try {
            f.get(30, TimeUnit.SECONDS);
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return ((StorageFailure) e.getCause()).kind();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aCommitThatConflictsIsRunAgainAndSucceeds() throws Exception {
        store.conflictAtCommit = true;
        store.conflictsLeft.set(2);
        assertThat(setVisibility(7).get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(store.commits.get()).isEqualTo(1);
        assertThat(store.log).filteredOn("set 7"::equals).as("run three times, committed once").hasSize(3);
        assertThat(store.log).filteredOn("rollback"::equals).hasSize(2);
    }

    @Test
    void aRequestThatConflictsRerunsItsWholeBatchNotJustItself() throws Exception {
        store.conflictsLeft.set(1);
        assertThat(setVisibility(FakeStore.CONFLICTING).get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(store.log).containsSubsequence("begin", "savepoint", "rollback", "begin", "savepoint", "set -2", "release", "commit");
        assertThat(store.log).doesNotContain("rollback-to");
    }

    @Test
    void conflictsAreRetriedABoundedNumberOfTimesThenFailConflict() {
        store.conflictAtCommit = true;
        store.conflictsLeft.set(GroupCommitter.MAX_ATTEMPTS + 3);
        assertThat(kindOf(setVisibility(7))).isEqualTo(StorageFailure.Kind.CONFLICT);
        assertThat(store.log).filteredOn("set 7"::equals).hasSize(GroupCommitter.MAX_ATTEMPTS);
        assertThat(store.commits.get()).isZero();
    }

    /** PostgreSQL: no savepoints while nothing fails; one failure reruns the batch with them. */
    @Test
    void withoutAtomicStatementsABatchRunsUnguardedFirstAndGuardedAfterAFailure() throws Exception {
        store.atomicStatements = false;
        assertThat(setVisibility(7).get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(store.log).containsExactly("begin", "set 7", "commit");
        store.log.clear();
        CountDownLatch release = hold();
        CompletableFuture<Boolean> ok1 = setVisibility(1);
        CompletableFuture<Boolean> refused = setVisibility(FakeStore.REFUSED);
        CompletableFuture<Boolean> ok2 = setVisibility(2);
        release.countDown();
        assertThat(ok1.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ok2.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(kindOf(refused)).isEqualTo(StorageFailure.Kind.CONSTRAINT);
        assertThat(store.log).as("after the held batch's commit").endsWith("begin", "set 1", "rollback",
                "begin", "savepoint", "set 1", "release", "savepoint", "rollback-to", "savepoint", "set 2", "release", "commit");
    }

    private CountDownLatch hold() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holding = new CompletableFuture<>();
        committer.submit(s -> {
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

    @Test
    void otherFailuresAreNotRetried() {
        store.failCommit = StorageFailure.Kind.UNAVAILABLE;
        assertThat(kindOf(setVisibility(7))).isEqualTo(StorageFailure.Kind.UNAVAILABLE);
        assertThat(store.log).filteredOn("set 7"::equals).hasSize(1);
    }
}
