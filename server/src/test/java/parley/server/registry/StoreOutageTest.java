package parley.server.registry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.server.policy.Visibility;
import parley.server.protocol.MailEntry;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.client.SyncRegistryClient;
import parley.server.store.PostgresFixture;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Losing PostgreSQL does not crash a node (issue 16): with the database stopped, requests that
 * need a write fail STORE_UNAVAILABLE and change nothing, the node goes on serving what needs no
 * write (a login), and once the database is back the same requests succeed, with nothing lost
 * of what was acknowledged before. The database is a throwaway server of this test's own, since
 * the test stops it.
 */
class StoreOutageTest {
    /** Bounded tries of the first request after the restart: the pool may still be reconnecting. */
    private static final int RECOVERY_TRIES = 10;

    @TempDir
    Path data;

    private PostgresFixture postgres;

    @AfterEach
    void tearDown() {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static RegistryConfig config() {
        RegistryConfig c = ServerFixture.manyUsers(new RegistryConfig());
        c.sessionTimeoutNanos = TimeUnit.DAYS.toNanos(1);
        return c;
    }

    @Test
    void writesFailStoreUnavailableWhileTheDatabaseIsDownAndSucceedOnceItIsBack() throws Exception {
        postgres = PostgresFixture.start();
        String store = postgres.createDatabase();
        try (ServerFixture fx = ServerFixture.onPostgres(store, data, config())) {
            SyncRegistryClient alice = fx.user("alice");
            SyncRegistryClient bob = fx.user("bob");
            Users.makeContacts(alice, "alice", bob, "bob");
            assertThat(MailboxServerTest.deposit(alice, "bob", 1, new byte[] {1})).isPositive();

            postgres.stop();
            assertThat(MailboxServerTest.deposit(alice, "bob", 2, new byte[] {2})).isEqualTo(-RegistryErrors.STORE_UNAVAILABLE);
            SyncRegistryClient.Answer vis = alice.call(RegistryOpcodes.SET_VISIBILITY, w -> w.u8(Visibility.NOBODY.code()));
            assertThat(vis.error).isEqualTo(RegistryErrors.STORE_UNAVAILABLE);
            assertThat(vis.reason).contains("unreachable");
            assertThat(Users.tryRegister(fx.client(), "carol", "pw-carol").error).isEqualTo(RegistryErrors.STORE_UNAVAILABLE);
            assertThat(Users.named(bob, RegistryOpcodes.BLOCK, "alice").error).isEqualTo(RegistryErrors.STORE_UNAVAILABLE);
            // The node is up: a login needs no write, and the refused changes did not happen.
            SyncRegistryClient bobAgain = fx.login("bob");
            assertThat(Users.contacts(bobAgain).blocked).isEmpty();
            assertThat(fx.server.<Visibility>query(r -> r.account("alice").visibility)).isEqualTo(Visibility.DEFAULT);

            postgres.restart();
            long expires = 0;
            for (int i = 0; i < RECOVERY_TRIES && expires <= 0; i++) {
                expires = MailboxServerTest.deposit(alice, "bob", 2, new byte[] {2});
                assertThat(expires).as("only an outage may refuse it").isIn(expires > 0 ? expires : 0L,
                        (long) -RegistryErrors.STORE_UNAVAILABLE);
            }
            assertThat(expires).as("the deposit succeeds once the database is back").isPositive();
            assertThat(alice.call(RegistryOpcodes.SET_VISIBILITY, w -> w.u8(Visibility.NOBODY.code())).ok()).isTrue();
            Users.register(fx.client(), "carol", "pw-carol");
            assertThat(MailboxServerTest.drain(bobAgain, 256)).extracting(MailEntry::sequence).containsExactly(1L, 2L);
        }
        // What was acknowledged, before and after the outage, is in the database.
        try (ServerFixture fx = ServerFixture.onPostgres(store, data, config())) {
            SyncRegistryClient bob = fx.login("bob");
            fx.login("carol");
            assertThat(Users.contacts(bob).contacts).containsExactly("alice");
            assertThat(fx.server.<Visibility>query(r -> r.account("alice").visibility)).isEqualTo(Visibility.NOBODY);
            assertThat(MailboxServerTest.drain(bob, 256)).extracting(MailEntry::sequence).containsExactly(1L, 2L);
        }
    }
}
