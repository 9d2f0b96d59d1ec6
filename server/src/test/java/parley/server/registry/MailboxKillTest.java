package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.server.protocol.MailEntry;
import parley.server.protocol.client.RegistryClient;
import parley.server.protocol.client.SyncRegistryClient;
import parley.server.registry.KillRestartTest.ServerProcess;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of a real registry process in the middle of a stream of deposits, and in the middle of a
 * drain: after a restart on the same data, every acknowledged deposit is there exactly once, a
 * sender's retry of everything stores nothing twice, and every acknowledged MAIL_ACK stayed done.
 * The moment of the kill is whatever the stream has reached, not a chosen point.
 */
class MailboxKillTest {
    private static final String[] FAST = {"--rate-limit", "1000000", "--burst", "1000000"};
    private static final int MESSAGES = 600;
    private static final int BLOB_BYTES = 200;

    @TempDir
    Path data;

    static byte[] blob(long id) {
        return ByteBuffer.allocate(BLOB_BYTES).putLong(id).putLong(BLOB_BYTES - 8, ~id).array();
    }

    static long idOf(MailEntry e) {
        ByteBuffer b = ByteBuffer.wrap(e.blob());
        assertThat(b.getLong(BLOB_BYTES - 8)).as("blob intact").isEqualTo(~b.getLong(0));
        return b.getLong(0);
    }

    private static SyncRegistryClient login(ServerProcess p, String name) throws Exception {
        SyncRegistryClient c = new SyncRegistryClient(p.address, p.tls);
        Users.login(c, name, "pw-" + name);
        return c;
    }

    /**
     * Sends every deposit at once (pipelined); {@code acked} collects the ids answered OK. The
     * future completes once every deposit has its answer (a lost connection counts as one).
     */
    private static CompletableFuture<Void> depositAll(SyncRegistryClient alice, Set<Long> acked, Set<Long> refused) throws Exception {
        CompletableFuture<Void> all = new CompletableFuture<>();
        alice.<Void>onLoop(10, (client, started) -> {
            int[] answered = {0};
            for (long id = 1; id <= MESSAGES; id++) {
                long m = id;
                client.mailDeposit("bob", m, blob(m), (error, reason, expires) -> {
                    if (error == 0) {
                        acked.add(m);
                    } else if (error != RegistryClient.CONNECTION_LOST) {
                        refused.add(m);
                    }
                    if (++answered[0] == MESSAGES) {
                        all.complete(null);
                    }
                });
            }
            started.complete(null);
        });
        return all;
    }

    /** Waits (generously: the host is shared) until {@code set} holds {@code n}; the point of a kill. */
    private static void awaitAtLeast(Set<?> set, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (set.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(set.size()).as("acknowledged before the kill").isGreaterThanOrEqualTo(n);
    }

    @Test
    void everyAcknowledgedDepositSurvivesAKillAndARetryStoresNothingTwice() throws Exception {
        Set<Long> acked = ConcurrentHashMap.newKeySet();
        Set<Long> refused = ConcurrentHashMap.newKeySet();
        try (ServerProcess first = new ServerProcess(data, FAST)) {
            try (SyncRegistryClient alice = new SyncRegistryClient(first.address, first.tls);
                 SyncRegistryClient bob = new SyncRegistryClient(first.address, first.tls)) {
                Users.register(alice, "alice", "pw-alice");
                Users.login(alice, "alice", "pw-alice");
                Users.register(bob, "bob", "pw-bob");
                Users.login(bob, "bob", "pw-bob");
                Users.makeContacts(alice, "alice", bob, "bob");
                depositAll(alice, acked, refused);
                awaitAtLeast(acked, 100);
                first.kill();
            }
        }
        assertThat(refused).isEmpty();
        Set<Long> ackedAtKill = Set.copyOf(acked);
        System.out.println("MailboxKillTest: " + ackedAtKill.size() + " of " + MESSAGES + " deposits acknowledged at the kill");
        assertThat(ackedAtKill.size()).as("the kill came during the stream").isLessThan(MESSAGES + 1);
        try (ServerProcess second = new ServerProcess(data, FAST);
             SyncRegistryClient alice = login(second, "alice");
             SyncRegistryClient bob = login(second, "bob")) {
            List<MailEntry> after = MailboxServerTest.drain(bob, 256);
            List<Long> ids = new ArrayList<>();
            for (MailEntry e : after) {
                ids.add(idOf(e));
            }
            assertThat(ids).as("no deposit stored twice").doesNotHaveDuplicates();
            assertThat(ids).as("every acknowledged deposit").containsAll(ackedAtKill);
            assertThat(after).extracting(MailEntry::sequence).isSorted().doesNotHaveDuplicates();

            // The sender retries everything it sent: acknowledged or not, nothing is stored twice.
            Set<Long> retried = ConcurrentHashMap.newKeySet();
            depositAll(alice, retried, refused).get(300, TimeUnit.SECONDS);
            assertThat(refused).isEmpty();
            assertThat(retried).hasSize(MESSAGES);
            List<Long> all = new ArrayList<>();
            for (MailEntry e : MailboxServerTest.drain(bob, 256)) {
                all.add(idOf(e));
            }
            assertThat(all).hasSize(MESSAGES).doesNotHaveDuplicates();
            assertThat(all.subList(0, ids.size())).as("what survived keeps its place").isEqualTo(ids);
        }
    }

    @Test
    void acknowledgedAcksSurviveAKillDuringTheDrain() throws Exception {
        Set<Long> stored = ConcurrentHashMap.newKeySet(); // ids bob "stored" before the kill
        AtomicLong ackedUpTo = new AtomicLong(); // the highest MAIL_ACK answered OK
        Set<Long> acks = ConcurrentHashMap.newKeySet();
        try (ServerProcess first = new ServerProcess(data, FAST)) {
            try (SyncRegistryClient alice = new SyncRegistryClient(first.address, first.tls);
                 SyncRegistryClient bob = new SyncRegistryClient(first.address, first.tls)) {
                Users.register(alice, "alice", "pw-alice");
                Users.login(alice, "alice", "pw-alice");
                Users.register(bob, "bob", "pw-bob");
                Users.login(bob, "bob", "pw-bob");
                Users.makeContacts(alice, "alice", bob, "bob");
                Set<Long> deposited = ConcurrentHashMap.newKeySet();
                Set<Long> refused = ConcurrentHashMap.newKeySet();
                depositAll(alice, deposited, refused).get(300, TimeUnit.SECONDS);
                assertThat(refused).isEmpty();
                assertThat(deposited).hasSize(MESSAGES);
                // bob drains 10 at a time, acknowledging each page as soon as it has "stored" it.
                bob.<Void>onLoop(10, (client, started) -> {
                    new Drain(client, stored, ackedUpTo, acks).next(0);
                    started.complete(null);
                });
                awaitAtLeast(acks, 5);
                first.kill();
            }
        }
        long durableUpTo = ackedUpTo.get();
        System.out.println("MailboxKillTest: drain acknowledged up to " + durableUpTo + ", " + stored.size() + " fetched at the kill");
        assertThat(durableUpTo).isPositive();
        try (ServerProcess second = new ServerProcess(data, FAST);
             SyncRegistryClient bob = login(second, "bob")) {
            List<MailEntry> left = MailboxServerTest.drain(bob, 256);
            assertThat(left).extracting(MailEntry::sequence).as("nothing acknowledged comes back")
                    .allMatch(seq -> seq > durableUpTo);
            Set<Long> ids = new HashSet<>();
            for (MailEntry e : left) {
                assertThat(ids.add(idOf(e))).as("stored once").isTrue();
            }
            Set<Long> union = new HashSet<>(stored);
            union.addAll(ids);
            assertThat(union).as("every deposit reached bob before the kill or after it").hasSize(MESSAGES);
        }
    }

    /** bob's drain on his loop: fetch a page, "store" it, ack it, fetch after it, until killed or empty. */
    private record Drain(RegistryClient client, Set<Long> stored, AtomicLong ackedUpTo, Set<Long> acks) {
        void next(long after) {
            client.mailFetch(after, 10, (error, reason, page) -> {
                if (error != 0 || page.entries().isEmpty()) {
                    return;
                }
                for (MailEntry e : page.entries()) {
                    stored.add(idOf(e));
                }
                long last = page.lastSequence(after);
                client.mailAck(last, (ackError, ackReason, body) -> {
                    if (ackError == 0) {
                        ackedUpTo.accumulateAndGet(last, Math::max);
                        acks.add(last);
                    }
                });
                next(last);
            });
        }
    }
}
