package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.loop.ManualClock;
import parley.server.protocol.MailEntry;
import parley.server.protocol.MailPage;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.client.RegistryClient;
import parley.server.protocol.client.SyncRegistryClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mailbox over a real TLS socket, a real loop and SQLite, through {@link RegistryClient}'s
 * typed requests: deposit, MAIL_WAITING, drain and ack; what survives a restart (entries, the
 * quota counters rebuilt from the database); expiry on synthetic time; and what the database
 * file holds of a blob.
 */
class MailboxServerTest {
    private static final long START = 1_700_000_000_000L;

    @TempDir
    Path data;

    private final AtomicLong wall = new AtomicLong(START);

    private RegistryConfig config(int maxCount) {
        RegistryConfig c = ServerFixture.manyUsers(new RegistryConfig());
        c.mailboxMaxCount = maxCount;
        c.wallClockMillis = wall::get;
        c.sessionTimeoutNanos = TimeUnit.DAYS.toNanos(1);
        return c;
    }

    /** MAIL_DEPOSIT through the client's typed request: the expiry, or the error code negated. */
    static long deposit(SyncRegistryClient c, String to, long id, byte[] blob) throws Exception {
        return c.<Long>onLoop(10, (client, done) -> client.mailDeposit(to, id, blob,
                (error, reason, expires) -> done.complete(error == 0 ? expires : -error)));
    }

    static MailPage fetch(SyncRegistryClient c, long after, int max) throws Exception {
        return c.<MailPage>onLoop(10, (client, done) -> client.mailFetch(after, max, (error, reason, page) -> {
            if (error != 0) {
                done.completeExceptionally(new AssertionError(RegistryClient.errorName(error) + ": " + reason));
            } else {
                done.complete(page);
            }
        }));
    }

    static int ack(SyncRegistryClient c, long upTo) throws Exception {
        return c.<Integer>onLoop(10, (client, done) -> client.mailAck(upTo, (error, reason, body) -> done.complete(error)));
    }

    /** Every entry after 0, page by page until more is 0. */
    static List<MailEntry> drain(SyncRegistryClient c, int max) throws Exception {
        List<MailEntry> all = new ArrayList<>();
        long after = 0;
        MailPage p;
        do {
            p = fetch(c, after, max);
            all.addAll(p.entries());
            after = p.lastSequence(after);
        } while (p.more());
        return all;
    }

    @Test
    void depositDrainAndAckOverTheWireAndWhatARestartKeeps() throws Exception {
        try (ServerFixture fx = new ServerFixture(data, config(3))) {
            SyncRegistryClient alice = fx.user("alice");
            SyncRegistryClient bob = fx.user("bob");
            Users.makeContacts(alice, "alice", bob, "bob");
            assertThat(deposit(alice, "bob", 1, new byte[] {1, 1})).isEqualTo(START + fx.config.mailboxTtlMillis);
            assertThat(bob.mailWaiting().poll(10, TimeUnit.SECONDS)).as("MAIL_WAITING, decoded").isEqualTo(1L);
            assertThat(deposit(alice, "bob", 2, new byte[] {2})).isPositive();
            assertThat(deposit(alice, "bob", 2, new byte[] {2})).as("a repeat").isEqualTo(START + fx.config.mailboxTtlMillis);
            assertThat(deposit(alice, "bob", 3, new byte[] {3})).isPositive();
            assertThat(deposit(alice, "bob", 4, new byte[] {4})).isEqualTo(-RegistryErrors.MAILBOX_FULL);
            assertThat(deposit(alice, "nobody", 4, new byte[] {4})).isEqualTo(-RegistryErrors.NO_SUCH_USER);
            List<MailEntry> got = drain(bob, 2);
            assertThat(got).extracting(MailEntry::sequence).containsExactly(1L, 2L, 3L);
            assertThat(got.get(0).blob()).containsExactly(1, 1);
            assertThat(ack(bob, 1)).isZero();
        }
        // Restarted on the same file: the two entries left are there, and so is the quota they take.
        try (ServerFixture fx = new ServerFixture(data, config(3))) {
            SyncRegistryClient alice = fx.login("alice");
            SyncRegistryClient bob = fx.login("bob");
            assertThat(drain(bob, 256)).extracting(MailEntry::sequence).containsExactly(2L, 3L);
            assertThat(deposit(alice, "bob", 5, new byte[] {5})).isPositive();
            assertThat(deposit(alice, "bob", 6, new byte[] {6})).as("3 entries again: the counters were rebuilt")
                    .isEqualTo(-RegistryErrors.MAILBOX_FULL);
            assertThat(deposit(alice, "bob", 2, new byte[] {2})).as("still idempotent after a restart").isPositive();
            assertThat(ack(bob, 4)).isZero();
            assertThat(drain(bob, 256)).isEmpty();
            assertThat(deposit(alice, "bob", 6, new byte[] {6})).isPositive();
            assertThat(drain(bob, 256)).extracting(MailEntry::sequence).as("sequences go on, never reused").containsExactly(5L);
        }
    }

    @Test
    void expiryOnSyntheticTimeTellsTheSender() throws Exception {
        ManualClock clock = new ManualClock();
        try (ServerFixture fx = new ServerFixture(data, config(1000), clock)) {
            SyncRegistryClient alice = fx.user("alice");
            SyncRegistryClient bob = fx.user("bob");
            Users.makeContacts(alice, "alice", bob, "bob");
            assertThat(deposit(alice, "bob", 99, new byte[] {9, 9, 9})).isPositive();
            bob.close();
            wall.set(START + fx.config.mailboxTtlMillis);
            clock.advance(fx.config.mailboxSweepNanos, TimeUnit.NANOSECONDS);
            fx.turnLoop();
            assertThat(alice.mailWaiting().poll(10, TimeUnit.SECONDS)).as("the sender hears of its notice").isEqualTo(1L);
            List<MailEntry> notices = drain(alice, 256);
            assertThat(notices).hasSize(1);
            assertThat(notices.get(0).kind()).isEqualTo(MailEntry.EXPIRED);
            assertThat(notices.get(0).recipient()).isEqualTo("bob");
            assertThat(notices.get(0).messageId()).isEqualTo(99);
            SyncRegistryClient bobAgain = fx.login("bob");
            assertThat(drain(bobAgain, 256)).as("the expired mail is gone").isEmpty();
        }
    }

    @Test
    void theDatabaseHoldsTheBlobOnlyExactlyAsDeposited() throws Exception {
        byte[] blob = new byte[600];
        new SecureRandom().nextBytes(blob);
        try (ServerFixture fx = new ServerFixture(data, config(1000))) {
            SyncRegistryClient alice = fx.user("alice");
            SyncRegistryClient bob = fx.user("bob");
            Users.makeContacts(alice, "alice", bob, "bob");
            assertThat(deposit(alice, "bob", 5, blob)).isPositive();
            // Acknowledged, so durable: the bytes are in the file (or its WAL) right now.
            byte[] head = java.util.Arrays.copyOf(blob, 16);
            int whole = 0;
            int heads = 0;
            for (String name : new String[] {"registry.db", "registry.db-wal"}) {
                Path f = data.resolve(name);
                if (Files.exists(f)) {
                    byte[] bytes = Files.readAllBytes(f);
                    whole += count(bytes, blob);
                    heads += count(bytes, head);
                }
            }
            assertThat(whole).as("the blob is stored").isPositive();
            assertThat(heads).as("every copy of its first bytes is the whole blob: stored as deposited, nothing else").isEqualTo(whole);
        }
    }

    private static int count(byte[] hay, byte[] needle) {
        int n = 0;
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            n++;
        }
        return n;
    }
}
