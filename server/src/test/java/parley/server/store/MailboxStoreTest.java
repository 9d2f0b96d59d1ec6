package parley.server.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mailbox's SQL on a real SQLite file through the {@link GroupCommitter}: migration of a
 * database made before the mailbox, sequences that are never reused, idempotent deposits, paging
 * by a byte budget, and expiry that deletes and notifies the sender in one transaction.
 */
class MailboxStoreTest {
    private static final ToIntFunction<MailRow> BLOB_BYTES = r -> r.blob() == null ? 10 : r.blob().length;

    @TempDir
    Path dir;

    private final ExecutorService completions = Executors.newSingleThreadExecutor(r -> new Thread(r, "fake-loop"));
    private GroupCommitter store;

    @AfterEach
    void tearDown() throws Exception {
        if (store != null) {
            store.close();
        }
        completions.shutdown();
        assertThat(completions.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    private Path db() {
        return dir.resolve("registry.db");
    }

    private static <T> T await(Consumer<Completion<T>> op) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        op.accept((v, e) -> {
            if (e != null) {
                f.completeExceptionally(e);
            } else {
                f.complete(v);
            }
        });
        return f.get(30, TimeUnit.SECONDS);
    }

    /** A database at schema version 2 (before the mailbox) with two accounts, 1 alice and 2 bob. */
    private void oldDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db().toAbsolutePath())) {
            Schema.migrate(c, 2);
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO accounts VALUES (1, 'Alice', 'alice', zeroblob(16), 4096, zeroblob(32), zeroblob(32), 1, 42)");
                st.execute("INSERT INTO accounts VALUES (2, 'Bob', 'bob', zeroblob(16), 4096, zeroblob(32), zeroblob(32), 1, 42)");
            }
        }
        store = GroupCommitter.start(SqliteStore.open(db()), completions);
    }

    private MailDepositResult deposit(long from, long to, long id, long at, long expires, byte[] blob) throws Exception {
        return await(d -> store.mailDeposit(from, to, id, at, expires, blob, true, d));
    }

    @Test
    void anOldDatabaseGetsTheMailboxAndKeepsItsAccounts() throws Exception {
        oldDatabase();
        assertThat(deposit(1, 2, 7, 100, 1_000, new byte[] {1, 2, 3}).stored()).isTrue();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db().toAbsolutePath())) {
            assertThat(Schema.version(c)).isEqualTo(Schema.LATEST); // 3 the mailbox, 4 identities (merged order)
        }
        Snapshot s = await(store::loadAll);
        assertThat(s.accounts()).hasSize(2);
    }

    @Test
    void depositsAreIdempotentAndSequencesAreNeverReused() throws Exception {
        oldDatabase();
        MailDepositResult first = deposit(1, 2, 7, 100, 1_000, new byte[] {1});
        assertThat(first).isEqualTo(new MailDepositResult(true, 1, 1_000));
        assertThat(deposit(1, 2, 7, 200, 2_000, new byte[] {9})).as("a repeat answers the first").isEqualTo(new MailDepositResult(false, 1, 1_000));
        assertThat(await((Completion<MailDepositResult> d) -> store.mailDeposit(1, 2, 8, 0, 0, new byte[] {1}, false, d)))
                .as("a full mailbox, not a repeat").isNull();
        assertThat(deposit(1, 2, 8, 300, 3_000, new byte[] {2, 2}).sequence()).isEqualTo(2);
        assertThat(deposit(2, 1, 7, 300, 3_000, new byte[] {3}).sequence()).as("per recipient").isEqualTo(1);
        assertThat(await(store::mailUsage)).containsExactly(new MailboxUsage(1, 1, 1), new MailboxUsage(2, 2, 3));

        assertThat(await((Completion<MailboxUsage> d) -> store.mailAck(2, 5, d))).isEqualTo(new MailboxUsage(2, 2, 3));
        assertThat(deposit(1, 2, 9, 400, 4_000, new byte[] {4}).sequence()).as("after an ack empties it").isEqualTo(3);
        store.close();
        store = GroupCommitter.start(SqliteStore.open(db()), completions);
        assertThat(deposit(1, 2, 10, 500, 5_000, new byte[] {5}).sequence()).as("after a restart").isEqualTo(4);
        assertThat(await((Completion<MailboxUsage> d) -> store.mailAck(2, 3, d))).isEqualTo(new MailboxUsage(2, 1, 1));
        MailPageRows page = await(d -> store.mailFetch(2, 0, 10, 1_000, BLOB_BYTES, d));
        assertThat(page.rows()).extracting(MailRow::sequence).containsExactly(4L);
    }

    @Test
    void aPageStopsAtItsCountOrItsBudgetButAlwaysHoldsOne() throws Exception {
        oldDatabase();
        for (int i = 1; i <= 5; i++) {
            deposit(1, 2, i, i, 10_000, new byte[40]);
        }
        MailPageRows byCount = await(d -> store.mailFetch(2, 0, 3, 1_000, BLOB_BYTES, d));
        assertThat(byCount.rows()).extracting(MailRow::sequence).containsExactly(1L, 2L, 3L);
        assertThat(byCount.more()).isTrue();
        MailPageRows byBudget = await(d -> store.mailFetch(2, 1, 10, 100, BLOB_BYTES, d));
        assertThat(byBudget.rows()).extracting(MailRow::sequence).containsExactly(2L, 3L);
        assertThat(byBudget.more()).isTrue();
        MailPageRows tiny = await(d -> store.mailFetch(2, 0, 10, 1, BLOB_BYTES, d));
        assertThat(tiny.rows()).hasSize(1);
        MailPageRows rest = await(d -> store.mailFetch(2, 3, 10, 1_000, BLOB_BYTES, d));
        assertThat(rest.rows()).extracting(MailRow::sequence).containsExactly(4L, 5L);
        assertThat(rest.more()).isFalse();
        assertThat(rest.rows().get(0).blob()).hasSize(40);
        assertThat(rest.rows().get(0).depositedAtMillis()).isEqualTo(4);
    }

    @Test
    void expiryDeletesAndPutsANoticeInTheSendersMailboxInOneTransaction() throws Exception {
        oldDatabase();
        deposit(1, 2, 70, 100, 1_000, new byte[] {1, 2});
        deposit(1, 2, 71, 100, 5_000, new byte[] {3});
        MailExpiry none = await(d -> store.mailExpire(999, 50_000, 10, d));
        assertThat(none.removed()).isEmpty();
        MailExpiry done = await(d -> store.mailExpire(1_000, 50_000, 10, d));
        assertThat(done.removed()).containsExactly(new MailboxUsage(2, 1, 2));
        assertThat(done.notices()).containsExactly(new MailboxUsage(1, 1, 0));
        assertThat(done.more()).isFalse();
        List<MailRow> alice = await((Completion<MailPageRows> d) -> store.mailFetch(1, 0, 10, 1_000, BLOB_BYTES, d)).rows();
        assertThat(alice).hasSize(1);
        MailRow notice = alice.get(0);
        assertThat(notice.kind()).isEqualTo(MailRow.EXPIRED);
        assertThat(notice.about()).isEqualTo("Bob");
        assertThat(notice.messageId()).isEqualTo(70);
        assertThat(notice.depositedAtMillis()).isEqualTo(1_000);
        assertThat(notice.blob()).isNull();
        assertThat(await((Completion<MailPageRows> d) -> store.mailFetch(2, 0, 10, 1_000, BLOB_BYTES, d)).rows())
                .extracting(MailRow::messageId).containsExactly(71L);
        // The notice itself expires, silently: no notice about a notice.
        MailExpiry later = await(d -> store.mailExpire(51_000, 50_000, 10, d));
        assertThat(later.removed()).containsExactlyInAnyOrder(new MailboxUsage(1, 1, 0), new MailboxUsage(2, 1, 1));
        assertThat(later.notices()).containsExactly(new MailboxUsage(1, 1, 0));
        assertThat(await(store::mailUsage)).containsExactly(new MailboxUsage(1, 1, 0));
    }

    @Test
    void anExpiryPassStopsAtItsLimitAndSaysSo() throws Exception {
        oldDatabase();
        for (int i = 0; i < 5; i++) {
            deposit(1, 2, i, 0, 10, new byte[] {1});
        }
        MailExpiry first = await(d -> store.mailExpire(10, 100, 3, d));
        assertThat(first.removed()).containsExactly(new MailboxUsage(2, 3, 3));
        assertThat(first.more()).isTrue();
        MailExpiry second = await(d -> store.mailExpire(10, 100, 3, d));
        assertThat(second.removed()).containsExactly(new MailboxUsage(2, 2, 2));
        assertThat(second.more()).isFalse();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db().toAbsolutePath());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM mailbox WHERE kind = 2 AND recipient = 1")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(5);
        }
    }

    /**
     * Deposits numbered in memory within one commit group: a repeat and a failed deposit (no such
     * recipient) in the middle of the group leave no gap, the group's sequence mark is written
     * once at its commit, and a restart goes on from it.
     */
    @Test
    void oneCommitGroupWithARepeatAndAFailedDepositKeepsSequencesGaplessAndDurable() throws Exception {
        oldDatabase();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holding = new CompletableFuture<>();
        store.submit(s -> {
            holding.complete(null);
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }, (v, e) -> { });
        holding.get(30, TimeUnit.SECONDS);
        List<CompletableFuture<MailDepositResult>> fs = new ArrayList<>();
        long[][] deposits = {{1, 2, 7}, {1, 2, 7}, {1, 99, 5}, {2, 1, 7}, {1, 2, 8}, {2, 2, 1}};
        for (long[] d : deposits) {
            CompletableFuture<MailDepositResult> f = new CompletableFuture<>();
            fs.add(f);
            store.mailDeposit(d[0], d[1], d[2], 100, 1_000, new byte[] {(byte) d[2]}, true, (v, e) -> {
                if (e != null) {
                    f.completeExceptionally(e);
                } else {
                    f.complete(v);
                }
            });
        }
        long commitsBefore = store.commits();
        release.countDown();
        assertThat(fs.get(0).get(30, TimeUnit.SECONDS)).isEqualTo(new MailDepositResult(true, 1, 1_000));
        assertThat(fs.get(1).get(30, TimeUnit.SECONDS)).as("a repeat in the same group").isEqualTo(new MailDepositResult(false, 1, 1_000));
        assertThat(fs.get(2)).as("no such recipient").failsWithin(30, TimeUnit.SECONDS);
        assertThat(fs.get(3).get(30, TimeUnit.SECONDS).sequence()).as("per recipient").isEqualTo(1);
        assertThat(fs.get(4).get(30, TimeUnit.SECONDS).sequence()).isEqualTo(2);
        assertThat(fs.get(5).get(30, TimeUnit.SECONDS).sequence()).isEqualTo(3);
        assertThat(store.commits() - commitsBefore).as("the held group and the deposits' group").isEqualTo(2);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db().toAbsolutePath());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT recipient, last_seq FROM mailbox_seq ORDER BY recipient")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(2)).isEqualTo(1);
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(2)).as("written at the group's commit").isEqualTo(3);
        }
        assertThat(await((Completion<MailboxUsage> d) -> store.mailAck(2, 3, d))).isEqualTo(new MailboxUsage(2, 3, 3));
        store.close();
        store = GroupCommitter.start(SqliteStore.open(db()), completions);
        assertThat(deposit(1, 2, 9, 400, 4_000, new byte[] {4}).sequence()).as("after an ack and a restart").isEqualTo(4);
    }
}
