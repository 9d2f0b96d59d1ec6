package parley.server.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.loop.EventLoop;
import parley.server.auth.ScramCredentials;
import parley.server.policy.Visibility;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StorageTest {
    @TempDir
    Path dir;

    private final ExecutorService completions = Executors.newSingleThreadExecutor(r -> new Thread(r, "fake-loop"));
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        completions.shutdown();
        assertThat(completions.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    private Path db() {
        return dir.resolve("registry.db");
    }

    private GroupCommitter open() throws SQLException {
        GroupCommitter s = GroupCommitter.start(SqliteStore.open(db()), completions);
        toClose.add(s);
        return s;
    }

    private static ScramCredentials creds(int seed) {
        byte[] salt = new byte[16];
        byte[] stored = new byte[32];
        byte[] server = new byte[32];
        salt[0] = (byte) seed;
        stored[0] = (byte) seed;
        server[1] = (byte) seed;
        return new ScramCredentials(salt, 4096, stored, server);
    }

    /** Runs one storage operation and waits for its completion. */
    private static <T> T await(Consumer<Completion<T>> op) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        op.accept((v, e) -> {
            if (e != null) {
                f.completeExceptionally(e);
            } else {
                f.complete(v);
            }
        });
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private static AccountRecord create(GroupCommitter s, String name, int seed) throws Exception {
        return await(done -> s.createAccount(name, name.toLowerCase(), creds(seed), Visibility.DEFAULT, 1000L + seed, done));
    }

    @Test
    void writeCloseReopenAndReadEverythingBack() throws Exception {
        GroupCommitter s = open();
        AccountRecord alice = create(s, "Alice", 1);
        AccountRecord bob = create(s, "Bob", 2);
        AccountRecord carol = create(s, "carol", 3);
        assertThat(await((Completion<Boolean> d) -> s.setVisibility(bob.id(), Visibility.EVERYONE, d))).isTrue();
        assertThat(await((Completion<Boolean> d) -> s.addContact(bob.id(), alice.id(), 5, d))).isTrue();
        assertThat(await((Completion<Boolean> d) -> s.addContact(alice.id(), bob.id(), 6, d))).as("idempotent").isFalse();
        assertThat(await((Completion<Boolean> d) -> s.addContactRequest(carol.id(), alice.id(), 7, d))).isTrue();
        assertThat(await((Completion<Boolean> d) -> s.addContactRequest(carol.id(), bob.id(), 8, d))).isTrue();
        assertThat(await((Completion<Boolean> d) -> s.removeContactRequest(carol.id(), bob.id(), d))).isTrue();
        assertThat(await((Completion<Boolean> d) -> s.block(bob.id(), carol.id(), 9, d))).isTrue();
        assertThat(await((Completion<Boolean> d) -> s.block(alice.id(), carol.id(), 9, d))).isTrue();
        assertThat(await((Completion<Boolean> d) -> s.unblock(alice.id(), carol.id(), d))).isTrue();
        assertThat(await((Completion<Boolean> d) -> s.unblock(alice.id(), carol.id(), d))).isFalse();
        byte[] secret = s.decoySecret();
        s.close();

        GroupCommitter reopened = open();
        Snapshot snap = await(reopened::loadAll);
        assertThat(snap.accounts()).extracting(AccountRecord::username).containsExactly("Alice", "Bob", "carol");
        assertThat(snap.accounts().get(0)).isEqualTo(alice);
        assertThat(snap.accounts().get(1).visibility()).isEqualTo(Visibility.EVERYONE);
        assertThat(snap.accounts().get(2).credentials()).isEqualTo(creds(3));
        assertThat(snap.contacts()).containsExactly(ContactPair.of(alice.id(), bob.id()));
        // Alice's block of carol dropped carol's request to her, and unblocking did not bring it back.
        assertThat(snap.requests()).isEmpty();
        assertThat(snap.blocks()).containsExactly(new BlockRecord(bob.id(), carol.id()));
        assertThat(snap.decoySecret()).isEqualTo(secret).hasSize(32);
        assertThat(reopened.decoySecret()).isEqualTo(secret);
        assertThat(await((Completion<AccountRecord> d) -> reopened.loadAccount("bob", d)).id()).isEqualTo(bob.id());
        assertThat(await((Completion<AccountRecord> d) -> reopened.loadAccount("nobody", d))).isNull();
    }

    @Test
    void acceptRemovesRequestsBothWaysAndAddsTheContactAtomically() throws Exception {
        GroupCommitter s = open();
        AccountRecord a = create(s, "aaa", 1);
        AccountRecord b = create(s, "bbb", 2);
        await((Completion<Boolean> d) -> s.addContactRequest(a.id(), b.id(), 1, d));
        await((Completion<Boolean> d) -> s.addContactRequest(b.id(), a.id(), 2, d));
        assertThat(await((Completion<Boolean> d) -> s.acceptContactRequest(a.id(), b.id(), 3, d))).isTrue();
        Snapshot snap = await(s::loadAll);
        assertThat(snap.requests()).isEmpty();
        assertThat(snap.contacts()).containsExactly(ContactPair.of(a.id(), b.id()));
        assertThat(await((Completion<Boolean> d) -> s.removeContact(b.id(), a.id(), d))).isTrue();
        assertThat(await(s::loadAll).contacts()).isEmpty();
    }

    @Test
    void takenNameFailsAloneWithUsernameTakenAndTheRestOfTheBatchCommits() throws Exception {
        GroupCommitter s = open();
        create(s, "Alice", 1);
        CountDownLatch hold = new CountDownLatch(1);
        CompletableFuture<Void> gate = new CompletableFuture<>();
        // Hold the storage worker so the next three requests land in one batch.
        s.submit(store -> {
            gate.complete(null);
            try {
                hold.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }, (v, e) -> { });
        gate.get(30, TimeUnit.SECONDS);
        CompletableFuture<AccountRecord> dup = new CompletableFuture<>();
        CompletableFuture<AccountRecord> ok1 = new CompletableFuture<>();
        CompletableFuture<AccountRecord> ok2 = new CompletableFuture<>();
        s.createAccount("bob", "bob", creds(2), Visibility.DEFAULT, 1, (v, e) -> complete(ok1, v, e));
        s.createAccount("ALICE", "alice", creds(3), Visibility.DEFAULT, 1, (v, e) -> complete(dup, v, e));
        s.createAccount("carol", "carol", creds(4), Visibility.DEFAULT, 1, (v, e) -> complete(ok2, v, e));
        long commitsBefore = s.commits();
        hold.countDown();
        assertThat(ok1.get(30, TimeUnit.SECONDS).username()).isEqualTo("bob");
        assertThat(ok2.get(30, TimeUnit.SECONDS).username()).isEqualTo("carol");
        assertThatThrownBy(() -> dup.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(StorageFailure.class)
                .cause().extracting(e -> ((StorageFailure) e).kind()).isEqualTo(StorageFailure.Kind.NAME_TAKEN);
        // The held request's own transaction, then one group commit for all three.
        assertThat(s.commits() - commitsBefore).isEqualTo(2);
        assertThat(await(s::loadAll).accounts()).extracting(AccountRecord::usernameKey).containsExactly("alice", "bob", "carol");
    }

    private static <T> void complete(CompletableFuture<T> f, T v, StorageFailure e) {
        if (e != null) {
            f.completeExceptionally(e);
        } else {
            f.complete(v);
        }
    }

    /**
     * The durability rule: when a completion runs, its write is already committed. The completion
     * reads its row through a second, independent JDBC connection, which only sees committed data.
     */
    @Test
    void completionIsNeverDeliveredBeforeCommit() throws Exception {
        EventLoop loop = new EventLoop("registry-loop").start();
        toClose.add(loop);
        GroupCommitter s = GroupCommitter.start(SqliteStore.open(db()), loop);
        toClose.add(0, s);
        Connection observer = DriverManager.getConnection("jdbc:sqlite:" + db().toAbsolutePath());
        toClose.add(observer);
        int n = 300;
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(n);
        loop.execute(() -> {
            for (int i = 0; i < n; i++) {
                String name = "user" + i;
                s.createAccount(name, name, creds(i), Visibility.DEFAULT, i, (acc, err) -> {
                    try {
                        if (!loop.inLoop()) {
                            problems.add(name + ": completion off the loop");
                        }
                        if (err != null) {
                            problems.add(name + ": " + err);
                        } else if (!visible(observer, acc.id())) {
                            problems.add(name + ": completion before commit");
                        }
                    } catch (SQLException e) {
                        problems.add(name + ": " + e);
                    } finally {
                        done.countDown();
                    }
                });
            }
        });
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(problems).isEmpty();
        assertThat(s.requests()).isEqualTo(n);
        assertThat(s.commits()).isBetween(1L, (long) n);
    }

    private static boolean visible(Connection c, long id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM accounts WHERE id = ?")) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Test
    void durabilitySettingsAreInForceOnTheStorageConnection() throws Exception {
        SqliteStore s = SqliteStore.open(db());
        toClose.add(s);
        String mode = pragma(s.connection(), "journal_mode");
        String sync = pragma(s.connection(), "synchronous");
        String fk = pragma(s.connection(), "foreign_keys");
        assertThat(mode).isEqualToIgnoringCase("wal");
        assertThat(sync).isEqualTo("2"); // FULL
        assertThat(fk).isEqualTo("1");
    }

    private static String pragma(Connection c, String name) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void migratesAFreshFileFromVersionZero() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db().toAbsolutePath())) {
            assertThat(Schema.version(c)).isZero();
        }
        open().close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db().toAbsolutePath())) {
            assertThat(Schema.version(c)).isEqualTo(Schema.LATEST).isEqualTo(5);
            List<String> names = new ArrayList<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type IN ('table','index') AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            assertThat(names).containsExactly("accounts", "blocks", "blocks_blocked", "contact_requests",
                    "contact_requests_to", "contacts", "group_members", "group_members_account", "groups", "identities", "mailbox",
                    "mailbox_expiry", "mailbox_seq", "server_meta");
        }
    }

    @Test
    void migratesAnOlderSchemaKeepingItsData() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db().toAbsolutePath())) {
            Schema.migrate(c, 1);
            assertThat(Schema.version(c)).isEqualTo(1);
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO accounts VALUES (7, 'Old', 'old', zeroblob(16), 4096, zeroblob(32), zeroblob(32), 0, 42)");
            }
        }
        GroupCommitter s = open();
        AccountRecord old = await((Completion<AccountRecord> d) -> s.loadAccount("old", d));
        assertThat(old.id()).isEqualTo(7);
        assertThat(old.visibility()).isEqualTo(Visibility.EVERYONE);
        s.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db().toAbsolutePath())) {
            assertThat(Schema.version(c)).isEqualTo(Schema.LATEST);
        }
    }

    /** Issue 13: a version-2 file (before identities) gains the identities table; its accounts have none. */
    @Test
    void migratesAVersionTwoFileToIdentitiesAndStoresABundleDurably() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db().toAbsolutePath())) {
            Schema.migrate(c, 2);
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO accounts VALUES (7, 'Old', 'old', zeroblob(16), 4096, zeroblob(32), zeroblob(32), 0, 42)");
            }
        }
        GroupCommitter s = open();
        assertThat(await((Completion<Snapshot> d) -> s.loadAll(d)).identities()).isEmpty();
        byte[] bundle = new byte[128];
        bundle[0] = 1;
        assertThat(await((Completion<Boolean> d) -> s.setIdentity(7, bundle, 50, d))).isTrue();
        assertThat(await((Completion<Boolean> d) -> s.setIdentity(8, bundle, 50, d))).as("no such account").isFalse();
        bundle[0] = 2;
        assertThat(await((Completion<Boolean> d) -> s.setIdentity(7, bundle, 60, d))).as("replaced").isTrue();
        AccountRecord fresh = await((Completion<AccountRecord> d) -> s.createAccount("new", "new", creds(9), Visibility.DEFAULT,
                bundle, 70, d));
        s.close();
        GroupCommitter again = open();
        Snapshot snap = await((Completion<Snapshot> d) -> again.loadAll(d));
        assertThat(snap.identities()).hasSize(2);
        assertThat(snap.identities().get(0).accountId()).isEqualTo(7);
        assertThat(snap.identities().get(0).bundle()).isEqualTo(bundle);
        assertThat(snap.identities().get(1).accountId()).isEqualTo(fresh.id());
        again.close();
    }

    @Test
    void refusesADatabaseFromANewerServer() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db().toAbsolutePath());
             Statement st = c.createStatement()) {
            st.execute("PRAGMA user_version = 99");
        }
        assertThatThrownBy(() -> SqliteStore.open(db())).isInstanceOf(SQLException.class)
                .hasMessageContaining("newer");
    }

    @Test
    void closeCompletesQueuedWorkAndLaterRequestsFailCleanly() throws Exception {
        GroupCommitter s = GroupCommitter.start(SqliteStore.open(db()), completions);
        List<CompletableFuture<AccountRecord>> fs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            CompletableFuture<AccountRecord> f = new CompletableFuture<>();
            s.createAccount("name" + i, "name" + i, creds(i), Visibility.DEFAULT, i, (v, e) -> complete(f, v, e));
            fs.add(f);
        }
        s.close();
        for (CompletableFuture<AccountRecord> f : fs) {
            assertThat(f.get(30, TimeUnit.SECONDS)).isNotNull();
        }
        assertThatThrownBy(() -> await((Completion<Boolean> d) -> s.block(1, 2, 3, d)))
                .isInstanceOf(StorageFailure.class)
                .extracting(e -> ((StorageFailure) e).kind()).isEqualTo(StorageFailure.Kind.CLOSED);
        GroupCommitter again = open();
        assertThat(await(again::loadAll).accounts()).hasSize(50);
    }

    @Test
    void constraintViolationsOtherThanNamesAreConstraintFailures() throws Exception {
        GroupCommitter s = open();
        AccountRecord a = create(s, "aaa", 1);
        // Foreign keys are on: a request to a nonexistent account is refused, not stored.
        assertThatThrownBy(() -> await((Completion<Boolean> d) -> s.addContactRequest(a.id(), 999, 1, d)))
                .isInstanceOf(StorageFailure.class)
                .extracting(e -> ((StorageFailure) e).kind()).isEqualTo(StorageFailure.Kind.CONSTRAINT);
        assertThatThrownBy(() -> await((Completion<Boolean> d) -> s.block(a.id(), a.id(), 1, d)))
                .isInstanceOf(StorageFailure.class)
                .extracting(e -> ((StorageFailure) e).kind()).isEqualTo(StorageFailure.Kind.CONSTRAINT);
        assertThat(await(s::loadAll).blocks()).isEmpty();
    }
}
