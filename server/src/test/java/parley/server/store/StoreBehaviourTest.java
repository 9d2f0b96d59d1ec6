package parley.server.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import parley.server.auth.ScramCredentials;
import parley.server.policy.Visibility;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The one behaviour suite of {@link RegistryStore} (issue 16), run against every implementation:
 * {@link SqliteStoreBehaviourTest} and {@link PostgresStoreBehaviourTest}. Everything goes through
 * {@link GroupCommitter}, as in the registry, and "restart" closes the store and opens a new one
 * on the same database. What only one engine has (SQLite's pragmas and file migrations) stays in
 * that engine's own tests.
 */
abstract class StoreBehaviourTest {
    private static final ToIntFunction<MailRow> BLOB_BYTES = r -> r.blob() == null ? 10 : r.blob().length;
    private static final int BUNDLE_BYTES = 128;

    private final ExecutorService completions = Executors.newSingleThreadExecutor(r -> new Thread(r, "fake-loop"));
    private GroupCommitter store;

    /** Prepares a new, empty database for one test. */
    abstract void newDatabase() throws Exception;

    /** Opens the store on the test's database (again, after a restart). */
    abstract RegistryStore openStore() throws Exception;

    @BeforeEach
    void setUp() throws Exception {
        newDatabase();
        store = GroupCommitter.start(openStore(), completions);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (store != null) {
            store.close();
        }
        completions.shutdown();
        assertThat(completions.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    private void restart() throws Exception {
        store.close();
        store = GroupCommitter.start(openStore(), completions);
    }

    static ScramCredentials creds(int seed) {
        byte[] salt = new byte[16];
        byte[] stored = new byte[32];
        byte[] server = new byte[32];
        salt[0] = (byte) seed;
        stored[0] = (byte) seed;
        server[1] = (byte) seed;
        return new ScramCredentials(salt, 4096, stored, server);
    }

    static <T> T await(Consumer<Completion<T>> op) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        op.accept((v, e) -> complete(f, v, e));
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private static <T> void complete(CompletableFuture<T> f, T v, StorageFailure e) {
        if (e != null) {
            f.completeExceptionally(e);
        } else {
            f.complete(v);
        }
    }

    private AccountRecord create(String name, int seed) throws Exception {
        return await(d -> store.createAccount(name, name.toLowerCase(), creds(seed), Visibility.DEFAULT, 1000L + seed, d));
    }

    private static byte[] bundle(int seed) {
        byte[] b = new byte[BUNDLE_BYTES];
        b[0] = (byte) seed;
        b[BUNDLE_BYTES - 1] = (byte) (seed + 1);
        return b;
    }

    private static StorageFailure.Kind kindOf(Throwable t) {
        return ((StorageFailure) t).kind();
    }

    /** Holds the storage worker until the returned latch opens, so the next requests share one batch. */
    private CountDownLatch holdWorker() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holding = new CompletableFuture<>();
        store.submit(s -> {
            holding.complete(null);
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }, (v, e) -> { });
        holding.get(60, TimeUnit.SECONDS);
        return release;
    }

    // ---- accounts and credentials ---------------------------------------------------------------

    @Test
    void accountsAndCredentialsSurviveARestartWithTheDecoySecret() throws Exception {
        AccountRecord alice = create("Alice", 1);
        AccountRecord bob = create("Bob", 2);
        assertThat(alice.id()).isNotEqualTo(bob.id());
        byte[] secret = store.decoySecret();
        assertThat(secret).hasSize(32);
        assertThatThrownBy(() -> create("ALICE", 3)).extracting(StoreBehaviourTest::kindOf).isEqualTo(StorageFailure.Kind.NAME_TAKEN);
        restart();
        Snapshot snap = await(store::loadAll);
        assertThat(snap.accounts()).containsExactly(alice, bob);
        assertThat(snap.accounts().get(1).credentials()).isEqualTo(creds(2));
        assertThat(snap.decoySecret()).isEqualTo(secret);
        assertThat(store.decoySecret()).isEqualTo(secret);
        assertThat(await((Completion<AccountRecord> d) -> store.loadAccount("bob", d))).isEqualTo(bob);
        assertThat(await((Completion<AccountRecord> d) -> store.loadAccount("nobody", d))).isNull();
    }

    @Test
    void aTakenNameFailsAloneAndTheRestOfItsBatchCommits() throws Exception {
        create("Alice", 1);
        CountDownLatch release = holdWorker();
        CompletableFuture<AccountRecord> ok1 = new CompletableFuture<>();
        CompletableFuture<AccountRecord> dup = new CompletableFuture<>();
        CompletableFuture<AccountRecord> ok2 = new CompletableFuture<>();
        store.createAccount("bob", "bob", creds(2), Visibility.DEFAULT, 1, (v, e) -> complete(ok1, v, e));
        store.createAccount("ALICE", "alice", creds(3), Visibility.DEFAULT, 1, (v, e) -> complete(dup, v, e));
        store.createAccount("carol", "carol", creds(4), Visibility.DEFAULT, 1, (v, e) -> complete(ok2, v, e));
        long commitsBefore = store.commits();
        release.countDown();
        assertThat(ok1.get(60, TimeUnit.SECONDS).username()).isEqualTo("bob");
        assertThat(ok2.get(60, TimeUnit.SECONDS).username()).isEqualTo("carol");
        assertThatThrownBy(() -> dup.get(60, TimeUnit.SECONDS)).cause().extracting(StoreBehaviourTest::kindOf)
                .isEqualTo(StorageFailure.Kind.NAME_TAKEN);
        assertThat(store.commits() - commitsBefore).as("the held request's transaction, then one for the three").isEqualTo(2);
        restart();
        assertThat(await(store::loadAll).accounts()).extracting(AccountRecord::usernameKey).containsExactly("alice", "bob", "carol");
    }

    // ---- identity keys --------------------------------------------------------------------------

    @Test
    void identityBundlesAreStoredReplacedAndRefusedWhenMalformed() throws Exception {
        AccountRecord amy = await(d -> store.createAccount("amy", "amy", creds(1), Visibility.DEFAULT, bundle(1), 5, d));
        AccountRecord bob = create("bob", 2);
        assertThat(await((Completion<Boolean> d) -> store.setIdentity(bob.id(), bundle(2), 6, d))).isTrue();
        assertThat(await((Completion<Boolean> d) -> store.setIdentity(bob.id(), bundle(3), 7, d))).as("replaced").isTrue();
        assertThat(await((Completion<Boolean> d) -> store.setIdentity(bob.id() + amy.id() + 100, bundle(4), 7, d)))
                .as("no such account").isFalse();
        assertThatThrownBy(() -> await((Completion<Boolean> d) -> store.setIdentity(amy.id(), new byte[12], 8, d)))
                .extracting(StoreBehaviourTest::kindOf).isEqualTo(StorageFailure.Kind.CONSTRAINT);
        restart();
        List<IdentityRecord> ids = await(store::loadAll).identities();
        assertThat(ids).hasSize(2);
        assertThat(ids.get(0).accountId()).isEqualTo(amy.id());
        assertThat(ids.get(0).bundle()).isEqualTo(bundle(1));
        assertThat(ids.get(1).bundle()).isEqualTo(bundle(3));
    }

    // ---- contacts, blocks, visibility -----------------------------------------------------------

    @Test
    void contactsRequestsBlocksAndVisibilitySurviveARestart() throws Exception {
        AccountRecord alice = create("Alice", 1);
        AccountRecord bob = create("Bob", 2);
        AccountRecord carol = create("carol", 3);
        assertThat(await((Completion<Boolean> d) -> store.setVisibility(bob.id(), Visibility.EVERYONE, d))).isTrue();
        assertThat(await((Completion<Boolean> d) -> store.addContact(bob.id(), alice.id(), 5, d))).isTrue();
        assertThat(await((Completion<Boolean> d) -> store.addContact(alice.id(), bob.id(), 6, d))).as("idempotent").isFalse();
        assertThat(await((Completion<Boolean> d) -> store.addContactRequest(carol.id(), alice.id(), 7, d))).isTrue();
        assertThat(await((Completion<Boolean> d) -> store.addContactRequest(carol.id(), alice.id(), 7, d))).isFalse();
        assertThat(await((Completion<Boolean> d) -> store.addContactRequest(carol.id(), bob.id(), 8, d))).isTrue();
        assertThat(await((Completion<Boolean> d) -> store.removeContactRequest(carol.id(), bob.id(), d))).isTrue();
        assertThat(await((Completion<Boolean> d) -> store.block(bob.id(), carol.id(), 9, d))).isTrue();
        assertThat(await((Completion<Boolean> d) -> store.block(bob.id(), carol.id(), 9, d))).isFalse();
        assertThat(await((Completion<Boolean> d) -> store.block(alice.id(), carol.id(), 9, d))).isTrue();
        assertThat(await((Completion<Boolean> d) -> store.unblock(alice.id(), carol.id(), d))).isTrue();
        assertThat(await((Completion<Boolean> d) -> store.unblock(alice.id(), carol.id(), d))).isFalse();
        restart();
        Snapshot snap = await(store::loadAll);
        assertThat(snap.accounts().get(1).visibility()).isEqualTo(Visibility.EVERYONE);
        assertThat(snap.contacts()).containsExactly(ContactPair.of(alice.id(), bob.id()));
        // Alice's block of carol dropped carol's request to her, and unblocking did not bring it back.
        assertThat(snap.requests()).isEmpty();
        assertThat(snap.blocks()).containsExactly(new BlockRecord(bob.id(), carol.id()));
    }

    @Test
    void acceptingAndBlockingEndRequestsBothWaysAndABlockEndsTheContact() throws Exception {
        AccountRecord a = create("aaa", 1);
        AccountRecord b = create("bbb", 2);
        await((Completion<Boolean> d) -> store.addContactRequest(a.id(), b.id(), 1, d));
        await((Completion<Boolean> d) -> store.addContactRequest(b.id(), a.id(), 2, d));
        assertThat(await((Completion<Boolean> d) -> store.acceptContactRequest(a.id(), b.id(), 3, d))).isTrue();
        Snapshot snap = await(store::loadAll);
        assertThat(snap.requests()).isEmpty();
        assertThat(snap.contacts()).containsExactly(ContactPair.of(a.id(), b.id()));
        assertThat(await((Completion<Boolean> d) -> store.block(b.id(), a.id(), 4, d))).isTrue();
        assertThat(await((Completion<Boolean> d) -> store.unblock(b.id(), a.id(), d))).isTrue();
        assertThat(await(store::loadAll).contacts()).as("unblocking does not bring the contact back").isEmpty();
        await((Completion<Boolean> d) -> store.addContact(a.id(), b.id(), 5, d));
        assertThat(await((Completion<Boolean> d) -> store.removeContact(b.id(), a.id(), d))).isTrue();
        assertThat(await((Completion<Boolean> d) -> store.removeContact(b.id(), a.id(), d))).isFalse();
        assertThat(await((Completion<Boolean> d) -> store.setVisibility(a.id() + b.id() + 100, Visibility.NOBODY, d))).isFalse();
    }

    @Test
    void integrityRulesOtherThanNamesAreConstraintFailuresAndChangeNothing() throws Exception {
        AccountRecord a = create("aaa", 1);
        long nobody = a.id() + 1000;
        assertThatThrownBy(() -> await((Completion<Boolean> d) -> store.addContactRequest(a.id(), nobody, 1, d)))
                .extracting(StoreBehaviourTest::kindOf).isEqualTo(StorageFailure.Kind.CONSTRAINT);
        assertThatThrownBy(() -> await((Completion<Boolean> d) -> store.block(a.id(), a.id(), 1, d)))
                .extracting(StoreBehaviourTest::kindOf).isEqualTo(StorageFailure.Kind.CONSTRAINT);
        Snapshot snap = await(store::loadAll);
        assertThat(snap.blocks()).isEmpty();
        assertThat(snap.requests()).isEmpty();
    }

    // ---- the mailbox --------------------------------------------------------------------------

    private MailDepositResult deposit(long from, long to, long id, long at, long expires, byte[] blob) throws Exception {
        return await(d -> store.mailDeposit(from, to, id, at, expires, blob, true, d));
    }

    @Test
    void depositsAreIdempotentSequencesAreNeverReusedAndUsageIsCounted() throws Exception {
        long amy = create("amy", 1).id();
        long bob = create("Bob", 2).id();
        assertThat(deposit(amy, bob, 7, 100, 1_000, new byte[] {1})).isEqualTo(new MailDepositResult(true, 1, 1_000));
        assertThat(deposit(amy, bob, 7, 200, 2_000, new byte[] {9})).as("a repeat answers the first")
                .isEqualTo(new MailDepositResult(false, 1, 1_000));
        assertThat(await((Completion<MailDepositResult> d) -> store.mailDeposit(amy, bob, 8, 0, 0, new byte[] {1}, false, d)))
                .as("a full mailbox, not a repeat").isNull();
        assertThat(await((Completion<MailDepositResult> d) -> store.mailDeposit(amy, bob, 7, 0, 0, new byte[] {1}, false, d)))
                .as("a full mailbox still answers a repeat").isEqualTo(new MailDepositResult(false, 1, 1_000));
        assertThat(deposit(amy, bob, 8, 300, 3_000, new byte[] {2, 2}).sequence()).isEqualTo(2);
        assertThat(deposit(bob, amy, 7, 300, 3_000, new byte[] {3}).sequence()).as("per recipient").isEqualTo(1);
        assertThat(await(store::mailUsage)).containsExactlyInAnyOrder(new MailboxUsage(amy, 1, 1), new MailboxUsage(bob, 2, 3));

        assertThat(await((Completion<MailboxUsage> d) -> store.mailAck(bob, 5, d))).isEqualTo(new MailboxUsage(bob, 2, 3));
        assertThat(await((Completion<MailboxUsage> d) -> store.mailAck(bob, 5, d))).isEqualTo(new MailboxUsage(bob, 0, 0));
        assertThat(deposit(amy, bob, 9, 400, 4_000, new byte[] {4}).sequence()).as("after an ack empties it").isEqualTo(3);
        restart();
        assertThat(deposit(amy, bob, 10, 500, 5_000, new byte[] {5}).sequence()).as("after a restart").isEqualTo(4);
        assertThat(deposit(amy, bob, 9, 600, 6_000, new byte[] {4})).as("dedup survives a restart")
                .isEqualTo(new MailDepositResult(false, 3, 4_000));
        assertThat(await((Completion<MailboxUsage> d) -> store.mailAck(bob, 3, d))).isEqualTo(new MailboxUsage(bob, 1, 1));
        MailPageRows page = await(d -> store.mailFetch(bob, 0, 10, 1_000, BLOB_BYTES, d));
        assertThat(page.rows()).extracting(MailRow::sequence).containsExactly(4L);
        assertThat(page.rows().get(0).blob()).containsExactly(5);
    }

    @Test
    void aPageStopsAtItsCountOrItsBudgetButAlwaysHoldsOne() throws Exception {
        long amy = create("amy", 1).id();
        long bob = create("bob", 2).id();
        for (int i = 1; i <= 5; i++) {
            deposit(amy, bob, i, i, 10_000, new byte[40]);
        }
        MailPageRows byCount = await(d -> store.mailFetch(bob, 0, 3, 1_000, BLOB_BYTES, d));
        assertThat(byCount.rows()).extracting(MailRow::sequence).containsExactly(1L, 2L, 3L);
        assertThat(byCount.more()).isTrue();
        MailPageRows byBudget = await(d -> store.mailFetch(bob, 1, 10, 100, BLOB_BYTES, d));
        assertThat(byBudget.rows()).extracting(MailRow::sequence).containsExactly(2L, 3L);
        assertThat(byBudget.more()).isTrue();
        assertThat(await((Completion<MailPageRows> d) -> store.mailFetch(bob, 0, 10, 1, BLOB_BYTES, d)).rows()).hasSize(1);
        MailPageRows rest = await(d -> store.mailFetch(bob, 3, 10, 1_000, BLOB_BYTES, d));
        assertThat(rest.rows()).extracting(MailRow::sequence).containsExactly(4L, 5L);
        assertThat(rest.more()).isFalse();
        MailRow row = rest.rows().get(0);
        assertThat(row.blob()).hasSize(40);
        assertThat(row.depositedAtMillis()).isEqualTo(4);
        assertThat(row.messageId()).isEqualTo(4);
        assertThat(row.kind()).isEqualTo(MailRow.SEALED);
    }

    @Test
    void expiryDeletesAndPutsANoticeInTheSendersMailboxAndStopsAtItsLimit() throws Exception {
        long amy = create("amy", 1).id();
        long bob = create("Bob", 2).id();
        deposit(amy, bob, 70, 100, 1_000, new byte[] {1, 2});
        deposit(amy, bob, 71, 100, 5_000, new byte[] {3});
        assertThat(await((Completion<MailExpiry> d) -> store.mailExpire(999, 50_000, 10, d)).removed()).isEmpty();
        MailExpiry done = await(d -> store.mailExpire(1_000, 50_000, 10, d));
        assertThat(done.removed()).containsExactly(new MailboxUsage(bob, 1, 2));
        assertThat(done.notices()).containsExactly(new MailboxUsage(amy, 1, 0));
        assertThat(done.more()).isFalse();
        List<MailRow> amys = await((Completion<MailPageRows> d) -> store.mailFetch(amy, 0, 10, 1_000, BLOB_BYTES, d)).rows();
        assertThat(amys).hasSize(1);
        MailRow notice = amys.get(0);
        assertThat(notice.kind()).isEqualTo(MailRow.EXPIRED);
        assertThat(notice.about()).isEqualTo("Bob");
        assertThat(notice.messageId()).isEqualTo(70);
        assertThat(notice.depositedAtMillis()).isEqualTo(1_000);
        assertThat(notice.blob()).isNull();
        // The notice itself expires silently: no notice about a notice.
        MailExpiry later = await(d -> store.mailExpire(51_000, 50_000, 10, d));
        assertThat(later.removed()).containsExactlyInAnyOrder(new MailboxUsage(amy, 1, 0), new MailboxUsage(bob, 1, 1));
        assertThat(later.notices()).containsExactly(new MailboxUsage(amy, 1, 0));

        for (int i = 0; i < 5; i++) {
            deposit(bob, amy, 100 + i, 0, 60_000, new byte[] {1});
        }
        MailExpiry first = await(d -> store.mailExpire(60_000, 100, 3, d));
        assertThat(first.removed()).contains(new MailboxUsage(amy, 3, 3));
        assertThat(first.more()).isTrue();
        MailExpiry second = await(d -> store.mailExpire(60_000, 100, 10, d));
        assertThat(second.removed()).contains(new MailboxUsage(amy, 2, 2));
        assertThat(second.more()).isFalse();
        assertThat(await((Completion<MailPageRows> d) -> store.mailFetch(bob, 0, 10, 1_000, BLOB_BYTES, d)).rows())
                .as("five notices for bob").hasSize(5).allMatch(r -> r.kind() == MailRow.EXPIRED && "amy".equals(r.about()));
    }

    /** A repeat and a failed deposit (no such recipient) in the middle of one commit group leave no gap. */
    @Test
    void oneCommitGroupWithARepeatAndAFailedDepositKeepsSequencesGaplessAndDurable() throws Exception {
        long amy = create("amy", 1).id();
        long bob = create("bob", 2).id();
        long nobody = amy + bob + 1000;
        CountDownLatch release = holdWorker();
        List<CompletableFuture<MailDepositResult>> fs = new ArrayList<>();
        long[][] deposits = {{amy, bob, 7}, {amy, bob, 7}, {amy, nobody, 5}, {bob, amy, 7}, {amy, bob, 8}, {bob, bob, 1}};
        for (long[] d : deposits) {
            CompletableFuture<MailDepositResult> f = new CompletableFuture<>();
            fs.add(f);
            store.mailDeposit(d[0], d[1], d[2], 100, 1_000, new byte[] {(byte) d[2]}, true, (v, e) -> complete(f, v, e));
        }
        long commitsBefore = store.commits();
        release.countDown();
        assertThat(fs.get(0).get(60, TimeUnit.SECONDS)).isEqualTo(new MailDepositResult(true, 1, 1_000));
        assertThat(fs.get(1).get(60, TimeUnit.SECONDS)).as("a repeat in the same group").isEqualTo(new MailDepositResult(false, 1, 1_000));
        assertThat(fs.get(2)).as("no such recipient").failsWithin(60, TimeUnit.SECONDS);
        assertThat(fs.get(3).get(60, TimeUnit.SECONDS).sequence()).as("per recipient").isEqualTo(1);
        assertThat(fs.get(4).get(60, TimeUnit.SECONDS).sequence()).isEqualTo(2);
        assertThat(fs.get(5).get(60, TimeUnit.SECONDS).sequence()).isEqualTo(3);
        assertThat(store.commits() - commitsBefore).as("the held group and the deposits' group").isEqualTo(2);
        assertThat(await((Completion<MailboxUsage> d) -> store.mailAck(bob, 3, d))).isEqualTo(new MailboxUsage(bob, 3, 3));
        restart();
        assertThat(deposit(amy, bob, 9, 400, 4_000, new byte[] {4}).sequence()).as("after an ack and a restart").isEqualTo(4);
    }

    // ---- groups (section 7.12) ------------------------------------------------------------------

    @Test
    void groupsAndMembershipsSurviveARestartAndATakenNameFails() throws Exception {
        AccountRecord amy = create("Amy", 1);
        AccountRecord bob = create("Bob", 2);
        AccountRecord cid = create("Cid", 3);
        byte[] id = new byte[16];
        id[0] = 7;
        byte[] gone = new byte[16];
        gone[0] = 8;
        assertThat(await((Completion<Boolean> d) -> store.groupCreate(new GroupRecord(id, "Team", "team", 1, 5_000), amy.id(), d))).isTrue();
        assertThatThrownBy(() -> await((Completion<Boolean> d) -> store.groupCreate(new GroupRecord(gone, "TEAM", "team", 1, 5_001), bob.id(), d)))
                .as("a taken name key").extracting(StoreBehaviourTest::kindOf).isNotNull();
        assertThat(await((Completion<Boolean> d) -> store.groupChange(GroupChange.one(id, 2, bob.id(), 4, 6_000), d))).as("bob invited").isTrue();
        assertThat(await((Completion<Boolean> d) -> store.groupChange(GroupChange.one(id, 3, bob.id(), 3, 7_000), d))).as("bob accepts").isTrue();
        assertThat(await((Completion<Boolean> d) -> store.groupChange(GroupChange.one(id, 4, cid.id(), 4, 8_000), d))).as("cid invited").isTrue();
        assertThat(await((Completion<Boolean> d) -> store.groupChange(GroupChange.one(id, 5, cid.id(), 0, 9_000), d))).as("cid removed").isTrue();
        assertThat(await((Completion<Boolean> d) -> store.groupChange(GroupChange.one(gone, 2, bob.id(), 3, 9_000), d)))
                .as("a change to a group that does not exist").isFalse();
        restart();
        GroupRows rows = await(store::groupsLoad);
        assertThat(rows.groups()).hasSize(1);
        assertThat(rows.groups().get(0).id()).isEqualTo(id);
        assertThat(rows.groups().get(0).name()).isEqualTo("Team");
        assertThat(rows.groups().get(0).version()).isEqualTo(5);
        assertThat(rows.members()).extracting(GroupMemberRecord::account, GroupMemberRecord::role)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(amy.id(), 1), org.assertj.core.groups.Tuple.tuple(bob.id(), 3));
        assertThat(await((Completion<Boolean> d) -> store.groupChange(new GroupChange(id, 6, new long[0], new int[0], 10_000, true), d)))
                .as("dissolved").isTrue();
        restart();
        assertThat(await(store::groupsLoad).groups()).isEmpty();
    }
}
