package parley.server.registry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import parley.core.wire.ErrorCode;
import parley.server.policy.Visibility;
import parley.server.protocol.Limits;
import parley.server.protocol.MailAck;
import parley.server.protocol.MailDeposit;
import parley.server.protocol.MailDepositReply;
import parley.server.protocol.MailEntry;
import parley.server.protocol.MailFetch;
import parley.server.protocol.MailPage;
import parley.server.protocol.MailWaiting;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.SetVisibility;
import parley.server.registry.HarnessClient.Answer;
import parley.server.registry.HarnessClient.Frame;
import parley.server.store.StorageFailure;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mailbox's rules (PROTOCOL.md 7.10) on the in-memory {@link Harness}: deposit, fetch, ack,
 * MAIL_WAITING, idempotency, paging by count and by frame size, both quotas, expiry on synthetic
 * time, privacy and hostile bodies. The same rules over a real socket and SQLite are in
 * {@link MailboxServerTest}.
 */
class MailboxRulesTest {
    private static final long START = 1_700_000_000_000L;
    private final AtomicLong wall = new AtomicLong(START);
    private Harness h;

    private Harness harness(int maxCount, long maxBytes) {
        RegistryConfig c = ServerFixture.manyUsers(new RegistryConfig());
        c.mailboxMaxCount = maxCount;
        c.mailboxMaxBytes = maxBytes;
        c.wallClockMillis = wall::get;
        c.sessionTimeoutNanos = TimeUnit.DAYS.toNanos(1); // sweeps move the clock; no heartbeats here
        h = new Harness(c);
        return h;
    }

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    static Answer deposit(HarnessClient c, String to, long id, byte[] blob) {
        return c.call(RegistryOpcodes.MAIL_DEPOSIT, new MailDeposit(to, id, blob)::encode);
    }

    static MailPage fetch(HarnessClient c, long after, int max) {
        Answer a = c.call(RegistryOpcodes.MAIL_FETCH, new MailFetch(after, max)::encode);
        assertThat(a.ok()).as("MAIL_FETCH: %s", a).isTrue();
        return MailPage.decode(a.body());
    }

    static Answer ack(HarnessClient c, long upTo) {
        return c.call(RegistryOpcodes.MAIL_ACK, new MailAck(upTo)::encode);
    }

    static byte[] blob(long id, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (id * 31 + i);
        }
        return b;
    }

    private HarnessClient[] contacts(String a, String b) {
        HarnessClient ca = h.user(a);
        HarnessClient cb = h.user(b);
        HarnessVisibilityMatrixTest.makeContacts(ca, a, cb, b);
        ca.pushes.clear();
        cb.pushes.clear();
        return new HarnessClient[] {ca, cb};
    }

    private static List<Long> waiting(HarnessClient c) {
        List<Long> counts = new ArrayList<>();
        for (Frame f; (f = c.pushes.poll()) != null; ) {
            if (f.opcode() == RegistryOpcodes.MAIL_WAITING) {
                counts.add(MailWaiting.decode(f.reader()).count());
            }
        }
        return counts;
    }

    @Test
    void depositIsFetchedInOrderAndDeletedByAck() {
        harness(1000, 1 << 22);
        HarnessClient[] ab = contacts("alice", "bob");
        Answer d1 = deposit(ab[0], "bob", 7, blob(7, 40));
        assertThat(d1.ok()).as("%s", d1).isTrue();
        assertThat(MailDepositReply.decode(d1.body()).expiresAtMillis()).isEqualTo(START + h.config.mailboxTtlMillis);
        assertThat(deposit(ab[0], "BOB", 8, blob(8, 50)).ok()).as("names compare without case").isTrue();
        assertThat(waiting(ab[1])).as("MAIL_WAITING after each committed deposit").containsExactly(1L, 2L);

        MailPage page = fetch(ab[1], 0, 256);
        assertThat(page.more()).isFalse();
        assertThat(page.entries()).extracting(MailEntry::sequence).containsExactly(1L, 2L);
        assertThat(page.entries().get(0).kind()).isEqualTo(MailEntry.SEALED);
        assertThat(page.entries().get(0).blob()).isEqualTo(blob(7, 40));
        assertThat(page.entries().get(1).blob()).isEqualTo(blob(8, 50));
        assertThat(page.entries().get(0).depositedAtMillis()).isEqualTo(START);
        assertThat(fetch(ab[0], 0, 256).entries()).as("alice's own mailbox is hers alone").isEmpty();

        assertThat(ack(ab[1], 1).ok()).isTrue();
        assertThat(fetch(ab[1], 0, 256).entries()).extracting(MailEntry::sequence).containsExactly(2L);
        assertThat(ack(ab[1], 1_000).ok()).as("acking past the end is fine").isTrue();
        assertThat(fetch(ab[1], 0, 256).entries()).isEmpty();
        assertThat(h.rules.mailQuotas.count(ab[1].session.account.id)).isZero();
        assertThat(deposit(ab[0], "bob", 9, blob(9, 5)).ok()).isTrue();
        assertThat(fetch(ab[1], 0, 256).entries()).as("sequences are never reused").extracting(MailEntry::sequence)
                .containsExactly(3L);
    }

    @Test
    void aRepeatedDepositAnswersAlikeAndStoresNothingEvenWhenTheMailboxIsFull() {
        harness(2, 1 << 22);
        HarnessClient[] ab = contacts("alice", "bob");
        Answer first = deposit(ab[0], "bob", 42, blob(42, 10));
        wall.addAndGet(5_000);
        Answer again = deposit(ab[0], "bob", 42, blob(42, 10));
        assertThat(again.ok()).isTrue();
        assertThat(again.bytes()).as("the same answer, the first expiry").isEqualTo(first.bytes());
        assertThat(fetch(ab[1], 0, 256).entries()).hasSize(1);
        assertThat(waiting(ab[1])).as("no MAIL_WAITING for a repeat").containsExactly(1L);
        assertThat(deposit(ab[0], "bob", 43, blob(43, 10)).ok()).isTrue();
        assertThat(deposit(ab[0], "bob", 44, blob(44, 10)).error()).isEqualTo(RegistryErrors.MAILBOX_FULL);
        assertThat(deposit(ab[0], "bob", 42, blob(42, 10)).bytes()).as("a repeat into a full mailbox").isEqualTo(first.bytes());
        HarnessClient carol = h.user("carol");
        HarnessVisibilityMatrixTest.makeContacts(carol, "carol", ab[1], "bob");
        assertThat(deposit(carol, "bob", 42, blob(1, 1)).error()).as("ids are per sender").isEqualTo(RegistryErrors.MAILBOX_FULL);
    }

    @Test
    void pagesAreBoundedByCountAndByTheFrame() {
        harness(1000, 1 << 24);
        HarnessClient[] ab = contacts("alice", "bob");
        for (int i = 1; i <= 300; i++) {
            assertThat(deposit(ab[0], "bob", i, blob(i, 3)).ok()).isTrue();
        }
        List<Long> seen = new ArrayList<>();
        long after = 0;
        List<Integer> sizes = new ArrayList<>();
        MailPage p;
        do {
            p = fetch(ab[1], after, 256);
            sizes.add(p.entries().size());
            p.entries().forEach(e -> seen.add(e.sequence()));
            after = p.lastSequence(after);
        } while (p.more());
        assertThat(sizes).containsExactly(256, 44);
        assertThat(seen).hasSize(300).isSorted().doesNotHaveDuplicates();
        assertThat(fetch(ab[1], 10, 5).entries()).extracting(MailEntry::sequence).containsExactly(11L, 12L, 13L, 14L, 15L);
        assertThat(ack(ab[1], 300).ok()).isTrue();

        for (int i = 1; i <= 3; i++) {
            assertThat(deposit(ab[0], "bob", 1000 + i, blob(i, Limits.MAX_MAIL_BLOB_BYTES)).ok()).isTrue();
        }
        // Two entries of 32,789 bytes cannot share a 64 KiB frame: one per page, and more says so.
        MailPage big = fetch(ab[1], 300, 256);
        assertThat(big.entries()).hasSize(1);
        assertThat(big.more()).isTrue();
        assertThat(big.entries().get(0).blob()).hasSize(Limits.MAX_MAIL_BLOB_BYTES);
        assertThat(fetch(ab[1], big.lastSequence(0), 256).entries()).hasSize(1);
        MailPage last = fetch(ab[1], 302, 256);
        assertThat(last.entries()).hasSize(1);
        assertThat(last.more()).isFalse();
    }

    @Test
    void aFullMailboxRefusesByCountAndByBytesUntilAcked() {
        harness(3, 100);
        HarnessClient[] ab = contacts("alice", "bob");
        assertThat(deposit(ab[0], "bob", 1, blob(1, 60)).ok()).isTrue();
        Answer bytes = deposit(ab[0], "bob", 2, blob(2, 41));
        assertThat(bytes.error()).as("60 + 41 > 100 bytes").isEqualTo(RegistryErrors.MAILBOX_FULL);
        assertThat(bytes.reason()).contains("full");
        assertThat(deposit(ab[0], "bob", 3, blob(3, 40)).ok()).as("60 + 40 fits exactly").isTrue();
        assertThat(deposit(ab[0], "bob", 4, blob(4, 0 + 1)).error()).as("100 + 1 bytes").isEqualTo(RegistryErrors.MAILBOX_FULL);
        assertThat(ack(ab[1], 1).ok()).isTrue();
        assertThat(deposit(ab[0], "bob", 5, blob(5, 1)).ok()).isTrue();
        assertThat(deposit(ab[0], "bob", 6, blob(6, 1)).ok()).as("3 entries").isTrue();
        assertThat(deposit(ab[0], "bob", 7, blob(7, 1)).error()).as("a 4th entry").isEqualTo(RegistryErrors.MAILBOX_FULL);
        assertThat(fetch(ab[1], 0, 256).entries()).extracting(MailEntry::sequence).containsExactly(2L, 3L, 4L);
    }

    @Test
    void repeatsInFlightDoNotMakeANewDepositFindTheMailboxFull() {
        harness(3, 1 << 22);
        HarnessClient[] ab = contacts("alice", "bob");
        assertThat(deposit(ab[0], "bob", 1, blob(1, 5)).ok()).isTrue();
        assertThat(deposit(ab[0], "bob", 2, blob(2, 5)).ok()).isTrue();
        // A sender retries after a lost connection: two repeats and one new deposit in flight at
        // once. The first repeat holds the last free place until storage says it was a repeat.
        h.mail.hold();
        List<Integer> sent = new ArrayList<>();
        for (long id = 1; id <= 3; id++) {
            sent.add(ab[0].send(RegistryOpcodes.MAIL_DEPOSIT, 0, new MailDeposit("bob", id, blob(id, 5))::encode));
        }
        assertThat(ab[0].answerTo(sent.get(0))).as("nothing answered before storage completes").isNull();
        h.mail.release();
        List<Answer> answers = new ArrayList<>();
        for (int c : sent) {
            answers.add(ab[0].answerTo(c));
        }
        assertThat(answers).extracting(Answer::error).as("2 entries + 1 new fits a quota of 3").containsExactly(0, 0, 0);
        assertThat(fetch(ab[1], 0, 256).entries()).extracting(MailEntry::sequence).containsExactly(1L, 2L, 3L);
        assertThat(deposit(ab[0], "bob", 4, blob(4, 5)).error()).isEqualTo(RegistryErrors.MAILBOX_FULL);
    }

    @Test
    void expiredMailIsDeletedAndItsSenderGetsAnExpiredNotice() {
        harness(2, 1 << 22);
        HarnessClient[] ab = contacts("alice", "bob");
        assertThat(deposit(ab[0], "bob", 11, blob(11, 30)).ok()).isTrue();
        wall.addAndGet(1_000);
        assertThat(deposit(ab[0], "bob", 12, blob(12, 30)).ok()).isTrue();
        ab[0].pushes.clear();

        // One sweep period later, but before the TTL: nothing expires.
        wall.set(START + h.config.mailboxTtlMillis - 1);
        h.advance(h.config.mailboxSweepNanos, TimeUnit.NANOSECONDS);
        assertThat(fetch(ab[1], 0, 256).entries()).hasSize(2);

        wall.set(START + h.config.mailboxTtlMillis); // the first deposit's expiry, not the second's
        h.advance(h.config.mailboxSweepNanos, TimeUnit.NANOSECONDS);
        assertThat(fetch(ab[1], 0, 256).entries()).extracting(MailEntry::sequence).containsExactly(2L);
        assertThat(waiting(ab[0])).as("the sender is told its mailbox has news").containsExactly(1L);
        MailPage notice = fetch(ab[0], 0, 256);
        assertThat(notice.entries()).hasSize(1);
        MailEntry e = notice.entries().get(0);
        assertThat(e.kind()).isEqualTo(MailEntry.EXPIRED);
        assertThat(e.recipient()).isEqualTo("bob");
        assertThat(e.messageId()).isEqualTo(11);
        assertThat(e.depositedAtMillis()).isEqualTo(START + h.config.mailboxTtlMillis);
        assertThat(h.rules.mailQuotas.count(ab[1].session.account.id)).as("the quota follows").isEqualTo(1);
        assertThat(deposit(ab[0], "bob", 13, blob(13, 30)).ok()).isTrue();
    }

    @Test
    void aStrangerABlockerAnAbsentNameAndOneselfAllReadAsNoSuchUser() {
        harness(1000, 1 << 22);
        HarnessClient[] ab = contacts("alice", "bob");
        HarnessClient stranger = h.user("stranger");
        HarnessClient blocker = h.user("blocker");
        HarnessVisibilityMatrixTest.makeContacts(ab[0], "alice", blocker, "blocker");
        assertThat(HarnessVisibilityMatrixTest.named(blocker, RegistryOpcodes.BLOCK, "alice").ok()).isTrue();
        String absent = HarnessVisibilityMatrixTest.anonymous(deposit(ab[0], "nobody", 1, blob(1, 9)), "nobody");
        assertThat(absent).startsWith(RegistryErrors.NO_SUCH_USER + ":");
        assertThat(HarnessVisibilityMatrixTest.anonymous(deposit(ab[0], "stranger", 1, blob(1, 9)), "stranger")).isEqualTo(absent);
        assertThat(HarnessVisibilityMatrixTest.anonymous(deposit(ab[0], "blocker", 1, blob(1, 9)), "blocker")).isEqualTo(absent);
        assertThat(HarnessVisibilityMatrixTest.anonymous(deposit(ab[0], "alice", 1, blob(1, 9)), "alice")).isEqualTo(absent);
        assertThat(HarnessVisibilityMatrixTest.anonymous(deposit(stranger, "bob", 1, blob(1, 9)), "bob")).isEqualTo(absent);
        assertThat(fetch(stranger, 0, 256).entries()).isEmpty();
        assertThat(fetch(blocker, 0, 256).entries()).isEmpty();
        // A contact who hides from everyone still gets mail; visibility is about presence.
        assertThat(ab[1].call(RegistryOpcodes.SET_VISIBILITY, new SetVisibility(Visibility.NOBODY.code())::encode).ok()).isTrue();
        assertThat(deposit(ab[0], "bob", 1, blob(1, 9)).ok()).isTrue();
    }

    @Test
    void hostileBodiesGetTheirCodeAndTheConnectionStays() {
        harness(1000, 1 << 22);
        HarnessClient[] ab = contacts("alice", "bob");
        HarnessClient anon = h.connect();
        assertThat(deposit(anon, "bob", 1, blob(1, 1)).error()).isEqualTo(RegistryErrors.NOT_AUTHENTICATED);
        assertThat(anon.call(RegistryOpcodes.MAIL_FETCH, new MailFetch(0, 1)::encode).error()).isEqualTo(RegistryErrors.NOT_AUTHENTICATED);
        assertThat(ab[0].call(RegistryOpcodes.MAIL_DEPOSIT, w -> w.string("bob").i64(1).i32(Limits.MAX_MAIL_BLOB_BYTES + 1)).error())
                .isEqualTo(RegistryErrors.MAIL_TOO_LARGE);
        assertThat(ab[0].call(RegistryOpcodes.MAIL_DEPOSIT, w -> w.string("bob").i64(1).i32(-1)).error())
                .isEqualTo(RegistryErrors.MAIL_TOO_LARGE);
        assertThat(ab[0].call(RegistryOpcodes.MAIL_DEPOSIT, w -> w.string("bob").i64(1).i32(0)).error()).isEqualTo(ErrorCode.MALFORMED_BODY);
        assertThat(ab[0].call(RegistryOpcodes.MAIL_DEPOSIT, w -> w.string("bob").i64(1).i32(9).u8(1)).error())
                .isEqualTo(ErrorCode.MALFORMED_BODY);
        assertThat(ab[0].call(RegistryOpcodes.MAIL_DEPOSIT, w -> w.string("bob").i64(1)).error()).isEqualTo(ErrorCode.MALFORMED_BODY);
        assertThat(ab[0].call(RegistryOpcodes.MAIL_FETCH, w -> w.i64(0).u16(0)).error()).isEqualTo(ErrorCode.MALFORMED_BODY);
        assertThat(ab[0].call(RegistryOpcodes.MAIL_FETCH, w -> w.i64(0).u16(257)).error()).isEqualTo(ErrorCode.MALFORMED_BODY);
        assertThat(ab[0].call(RegistryOpcodes.MAIL_FETCH, w -> w.i64(-1).u16(1)).error()).isEqualTo(ErrorCode.MALFORMED_BODY);
        assertThat(ab[0].call(RegistryOpcodes.MAIL_ACK, w -> w.i64(1).u8(0)).error()).isEqualTo(ErrorCode.MALFORMED_BODY);
        assertThat(ab[0].call(RegistryOpcodes.MAIL_ACK, w -> w.i64(-1)).error()).isEqualTo(ErrorCode.MALFORMED_BODY);
        assertThat(ab[0].call(RegistryOpcodes.MAIL_WAITING, w -> w.i32(1)).error()).as("a push is not a request")
                .isEqualTo(ErrorCode.BAD_STATE);
        assertThat(ab[0].isOpen()).isTrue();
        assertThat(deposit(ab[0], "bob", 1, blob(1, 1)).ok()).as("and it still works").isTrue();
        assertThat(h.rules.mailQuotas.count(ab[1].session.account.id)).isEqualTo(1);
    }

    @Test
    void aFailedWriteIsStorageFailedAndGivesItsQuotaBack() {
        harness(1, 1 << 22);
        HarnessClient[] ab = contacts("alice", "bob");
        h.mail.failNext(new StorageFailure(StorageFailure.Kind.IO, "disk gone"));
        assertThat(deposit(ab[0], "bob", 1, blob(1, 1)).error()).isEqualTo(RegistryErrors.STORAGE_FAILED);
        assertThat(waiting(ab[1])).isEmpty();
        assertThat(deposit(ab[0], "bob", 1, blob(1, 1)).ok()).as("the reservation was released").isTrue();
        h.mail.failNext(new StorageFailure(StorageFailure.Kind.IO, "disk gone"));
        assertThat(ack(ab[1], 1).error()).isEqualTo(RegistryErrors.STORAGE_FAILED);
        assertThat(fetch(ab[1], 0, 256).entries()).hasSize(1);
    }
}
