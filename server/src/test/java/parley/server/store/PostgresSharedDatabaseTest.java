package parley.server.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import parley.server.policy.Visibility;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two stores on one PostgreSQL database, as two registry nodes are (issue 16): what one writes the
 * other reads, deposits to one recipient made on both at once get distinct sequences, a repeat made
 * on the other node is recognised, and two expiry passes at once count each entry once.
 */
class PostgresSharedDatabaseTest {
    private static final int DEPOSITS_PER_NODE = 100;

    private final ExecutorService completions = Executors.newFixedThreadPool(2);
    private GroupCommitter node1;
    private GroupCommitter node2;

    @BeforeEach
    void open() throws Exception {
        PostgresLocation db = PostgresLocation.parse(PostgresFixture.shared().createDatabase(), null);
        node1 = GroupCommitter.start(PostgresStore.open(db), completions);
        node2 = GroupCommitter.start(PostgresStore.open(db), completions);
    }

    @AfterEach
    void close() throws Exception {
        node1.close();
        node2.close();
        completions.shutdown();
        assertThat(completions.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    private static CompletableFuture<MailDepositResult> deposit(GroupCommitter node, long from, long to, long id, long expires) {
        CompletableFuture<MailDepositResult> f = new CompletableFuture<>();
        node.mailDeposit(from, to, id, 1, expires, new byte[] {(byte) id}, true, (v, e) -> {
            if (e != null) {
                f.completeExceptionally(e);
            } else {
                f.complete(v);
            }
        });
        return f;
    }

    @Test
    void twoNodesShareAccountsSequencesDedupAndExpiry() throws Exception {
        AccountRecord amy = StoreBehaviourTest.await(d -> node1.createAccount("amy", "amy", StoreBehaviourTest.creds(1),
                Visibility.DEFAULT, 1, d));
        AccountRecord bob = StoreBehaviourTest.await(d -> node2.createAccount("bob", "bob", StoreBehaviourTest.creds(2),
                Visibility.DEFAULT, 1, d));
        assertThat(StoreBehaviourTest.<AccountRecord>await(d -> node2.loadAccount("amy", d))).isEqualTo(amy);
        assertThat(node1.decoySecret()).as("one secret for the cluster").isEqualTo(node2.decoySecret());

        List<CompletableFuture<MailDepositResult>> all = new ArrayList<>();
        for (int i = 0; i < DEPOSITS_PER_NODE; i++) {
            all.add(deposit(node1, amy.id(), bob.id(), i, 10));
            all.add(deposit(node2, amy.id(), bob.id(), DEPOSITS_PER_NODE + i, 10));
        }
        Set<Long> sequences = new HashSet<>();
        for (CompletableFuture<MailDepositResult> f : all) {
            MailDepositResult r = f.get(60, TimeUnit.SECONDS);
            assertThat(r.stored()).isTrue();
            sequences.add(r.sequence());
        }
        assertThat(sequences).as("distinct, and dense when nothing repeats").hasSize(2 * DEPOSITS_PER_NODE)
                .allMatch(s -> s >= 1 && s <= 2 * DEPOSITS_PER_NODE);
        MailDepositResult repeat = deposit(node2, amy.id(), bob.id(), 0, 10).get(60, TimeUnit.SECONDS);
        assertThat(repeat.stored()).as("a deposit made on node 1, repeated on node 2").isFalse();

        CompletableFuture<MailExpiry> e1 = new CompletableFuture<>();
        CompletableFuture<MailExpiry> e2 = new CompletableFuture<>();
        node1.mailExpire(10, 1_000, 1_000, (v, e) -> e1.complete(v));
        node2.mailExpire(10, 1_000, 1_000, (v, e) -> e2.complete(v));
        int removed = 0;
        int notices = 0;
        for (MailExpiry x : List.of(e1.get(60, TimeUnit.SECONDS), e2.get(60, TimeUnit.SECONDS))) {
            removed += x.removed().stream().mapToInt(MailboxUsage::count).sum();
            notices += x.notices().size();
        }
        assertThat(removed).as("each expired entry counted by one node only").isEqualTo(2 * DEPOSITS_PER_NODE);
        assertThat(notices).isEqualTo(2 * DEPOSITS_PER_NODE);
        assertThat(StoreBehaviourTest.<List<MailboxUsage>>await(node1::mailUsage))
                .containsExactly(new MailboxUsage(amy.id(), 2 * DEPOSITS_PER_NODE, 0));
    }
}
