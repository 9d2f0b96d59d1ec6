package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.server.policy.Visibility;
import parley.server.protocol.MailEntry;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.client.SyncRegistryClient;
import parley.server.store.PostgresFixture;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real registry (its loop, TLS sockets, the storage worker) on PostgreSQL (issue 16): register,
 * login, contacts, visibility, blocks and a mailbox deposit and drain, then a restart of the
 * registry on the same database that finds all of it again.
 */
class PostgresRegistryTest {
    @TempDir
    Path data;

    private static RegistryConfig config() {
        RegistryConfig c = ServerFixture.manyUsers(new RegistryConfig());
        c.sessionTimeoutNanos = TimeUnit.DAYS.toNanos(1);
        return c;
    }

    @Test
    void registerLoginContactsAndMailOverRealSocketsSurviveARestart() throws Exception {
        String store = PostgresFixture.shared().createDatabase();
        try (ServerFixture fx = ServerFixture.onPostgres(store, data, config())) {
            SyncRegistryClient alice = fx.user("alice");
            SyncRegistryClient bob = fx.user("bob");
            SyncRegistryClient carol = fx.user("carol");
            Users.makeContacts(alice, "alice", bob, "bob");
            assertThat(Users.named(carol, RegistryOpcodes.CONTACT_REQUEST, "alice").ok()).isTrue();
            assertThat(Users.named(bob, RegistryOpcodes.BLOCK, "carol").ok()).isTrue();
            assertThat(alice.call(RegistryOpcodes.SET_VISIBILITY, w -> w.u8(Visibility.NOBODY.code())).ok()).isTrue();
            assertThat(MailboxServerTest.deposit(alice, "bob", 1, new byte[] {1, 1})).isPositive();
            assertThat(MailboxServerTest.deposit(alice, "bob", 2, new byte[] {2})).isPositive();
            assertThat(bob.mailWaiting().poll(10, TimeUnit.SECONDS)).isNotNull();
            assertThat(MailboxServerTest.drain(bob, 256)).extracting(MailEntry::sequence).containsExactly(1L, 2L);
            assertThat(MailboxServerTest.ack(bob, 1)).isZero();
        }
        try (ServerFixture fx = ServerFixture.onPostgres(store, data, config())) {
            SyncRegistryClient alice = fx.login("alice");
            SyncRegistryClient bob = fx.login("bob");
            Users.ContactList a = Users.contacts(alice);
            assertThat(a.contacts).containsExactly("bob");
            assertThat(a.incoming).containsExactly("carol");
            assertThat(Users.contacts(bob).blocked).containsExactly("carol");
            assertThat(fx.server.<Visibility>query(r -> r.account("alice").visibility)).isEqualTo(Visibility.NOBODY);
            assertThat(MailboxServerTest.drain(bob, 256)).extracting(MailEntry::sequence).as("acked entries stay gone")
                    .containsExactly(2L);
            assertThat(MailboxServerTest.deposit(alice, "bob", 3, new byte[] {3})).isPositive();
            assertThat(MailboxServerTest.drain(bob, 256)).extracting(MailEntry::sequence).as("sequences go on")
                    .containsExactly(2L, 3L);
            assertThat(MailboxServerTest.deposit(alice, "bob", 2, new byte[] {2})).as("a repeat is still recognised").isPositive();
            assertThat(MailboxServerTest.drain(bob, 256)).hasSize(2);
        }
    }
}
