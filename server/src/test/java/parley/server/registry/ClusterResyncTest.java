package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import parley.server.cluster.CuttableBus;
import parley.server.cluster.RedisBus;
import parley.server.protocol.PresenceState;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.client.SyncRegistryClient;
import parley.server.store.PostgresFixture;

import parley.server.auth.ScramCredentials;
import parley.server.policy.Visibility;
import parley.server.protocol.Usernames;
import parley.server.store.AccountRecord;
import parley.server.store.PostgresLocation;
import parley.server.store.PostgresStore;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes on one PostgreSQL and one Redis; node 2 alone is cut from the bus while a group is
 * made, a block acknowledged and an account registered on node 1. Back, node 2 re-reads the store before it
 * serves: the block it never heard of is enforced on its first answer, the new account logs in.
 */
class ClusterResyncTest {
    @RegisterExtension
    static final RedisPerClass redis = new RedisPerClass();

    @Test
    void aNodeBackFromACutReadsWhatItMissedFromTheStoreBeforeItServes(@TempDir Path dir) throws Exception {
        String store = PostgresFixture.shared().createDatabase();
        CuttableBus bus2 = new CuttableBus(RedisBus.connect(redis.uri(), "n2"));
        try (ClusterNode n1 = ClusterNode.onPostgres("n1", redis.uri(), store, dir.resolve("n1"));
             ClusterNode n2 = ClusterNode.onPostgres("n2", bus2, store, dir.resolve("n2"))) {
            Users.register(n1.client(), "alice", "pw-alice");
            Users.register(n1.client(), "bob", "pw-bob");
            SyncRegistryClient alice = n1.login("alice");
            SyncRegistryClient bob = n2.login("bob");
            assertThat(Users.named(alice, RegistryOpcodes.CONTACT_REQUEST, "bob").ok()).isTrue();
            ClusterPrivacyRaceTest.awaitTrue(() -> ClusterPrivacyRaceTest.call(
                    () -> Users.named(bob, RegistryOpcodes.CONTACT_ACCEPT, "alice").ok()));
            ClusterPrivacyRaceTest.awaitTrue(() -> ClusterPrivacyRaceTest.call(
                    () -> ClusterPresenceTest.contactState(bob, "alice") == PresenceState.ONLINE));

            bus2.cut(true);
            ClusterPrivacyRaceTest.awaitTrue(() -> ClusterPrivacyRaceTest.call(
                    () -> ClusterBusLossTest.contactsError(bob) == RegistryErrors.BUS_UNAVAILABLE));
            // Acknowledged on node 1 while node 2 hears nothing: a group bob is invited to, a block.
            assertThat(group(alice, RegistryOpcodes.GROUP_CREATE, "crew", null).ok()).isTrue();
            assertThat(group(alice, RegistryOpcodes.GROUP_INVITE, "crew", "bob").ok()).isTrue();
            assertThat(Users.named(alice, RegistryOpcodes.BLOCK, "bob").ok()).isTrue();
            Users.register(n1.client(), "carol", "pw-carol");

            bus2.cut(false);
            ClusterPrivacyRaceTest.awaitTrue(() -> ClusterPrivacyRaceTest.call(
                    () -> ClusterBusLossTest.contactsError(bob) == 0));
            assertThat(Users.contacts(bob).contacts).doesNotContain("alice");
            assertThat(Users.search(bob, "alice")).doesNotContain("alice");
            assertThat(Users.named(bob, RegistryOpcodes.CONTACT_REQUEST, "alice").error)
                    .isEqualTo(RegistryErrors.NO_SUCH_USER);
            SyncRegistryClient carol = n2.login("carol");
            assertThat(Users.named(carol, RegistryOpcodes.CONTACT_REQUEST, "bob").ok()).isTrue();
            assertThat(group(bob, RegistryOpcodes.GROUP_MEMBERS, "crew", null).ok())
                    .as("the group made during the cut, re-read on node 2").isTrue();
            assertThat(group(carol, RegistryOpcodes.GROUP_MEMBERS, "crew", null).error).isEqualTo(RegistryErrors.NO_SUCH_GROUP);
            assertThat(group(carol, RegistryOpcodes.GROUP_CREATE, "crew", null).error).isEqualTo(RegistryErrors.GROUP_NAME_TAKEN);
        }
    }

    private static SyncRegistryClient.Answer group(SyncRegistryClient c, int op, String g, String user) throws Exception {
        parley.server.protocol.GroupRequest q = new parley.server.protocol.GroupRequest(g, user, 0);
        return c.call(op, w -> q.encode(w, op));
    }

    /**
     * An account the bus never announced (as when its node dies between the write and the
     * broadcast), here written straight into the store with a block: the first login for it on
     * a node asks the store, finds it, and the node re-reads the store (block included) first.
     */
    @Test
    void aLoginForAnAccountTheBusNeverAnnouncedReadsItFromTheStore(@TempDir Path dir) throws Exception {
        String store = PostgresFixture.shared().createDatabase();
        try (ClusterNode n1 = ClusterNode.onPostgres("n1", redis.uri(), store, dir.resolve("n1"));
             ClusterNode n2 = ClusterNode.onPostgres("n2", redis.uri(), store, dir.resolve("n2"))) {
            Users.register(n1.client(), "bob", "pw-bob");
            SyncRegistryClient bob = n2.login("bob");
            try (PostgresStore direct = PostgresStore.open(PostgresLocation.parse(store, null))) {
                AccountRecord bobRow = direct.loadAccount("bob");
                AccountRecord dave = direct.createAccount("dave", Usernames.key("dave"),
                        ScramCredentials.derive("pw-dave", new byte[16], 4096), Visibility.DEFAULT, 0);
                direct.block(dave.id(), bobRow.id(), 0);
            }
            SyncRegistryClient dave = n2.login("dave");
            assertThat(Users.contacts(dave).blocked).containsExactly("bob");
            assertThat(Users.named(bob, RegistryOpcodes.CONTACT_REQUEST, "dave").error)
                    .isEqualTo(RegistryErrors.NO_SUCH_USER);
        }
    }

    /**
     * A contact request on node 2 naming an account node 2 has not heard of (registered an
     * instant ago elsewhere, its announcement still on the bus; here written straight into the
     * store, so never announced): node 2 asks the store before it answers, and the request succeeds.
     */
    @Test
    void aContactRequestForAnAccountNotYetAnnouncedAsksTheStore(@TempDir Path dir) throws Exception {
        String store = PostgresFixture.shared().createDatabase();
        try (ClusterNode n1 = ClusterNode.onPostgres("n1", redis.uri(), store, dir.resolve("n1"));
             ClusterNode n2 = ClusterNode.onPostgres("n2", redis.uri(), store, dir.resolve("n2"))) {
            Users.register(n1.client(), "bob", "pw-bob");
            SyncRegistryClient bob = n2.login("bob");
            try (PostgresStore direct = PostgresStore.open(PostgresLocation.parse(store, null))) {
                direct.createAccount("erin", Usernames.key("erin"),
                        ScramCredentials.derive("pw-erin", new byte[16], 4096), Visibility.DEFAULT, 0);
            }
            assertThat(Users.named(bob, RegistryOpcodes.CONTACT_REQUEST, "erin").ok()).as("found in the store").isTrue();
            assertThat(Users.named(bob, RegistryOpcodes.CONTACT_REQUEST, "nobody").error)
                    .isEqualTo(RegistryErrors.NO_SUCH_USER);
            SyncRegistryClient erin = n1.login("erin");
            assertThat(Users.contacts(erin).incoming).containsExactly("bob");
        }
    }
}
