package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import parley.server.cluster.DelayedBus;
import parley.server.cluster.RedisBus;
import parley.server.protocol.GroupCodes;
import parley.server.protocol.GroupMembers;
import parley.server.protocol.GroupRequest;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.client.SyncRegistryClient;
import parley.server.protocol.client.SyncRegistryClient.Answer;
import parley.server.store.PostgresFixture;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static parley.server.registry.ClusterPrivacyRaceTest.awaitTrue;
import static parley.server.registry.ClusterPrivacyRaceTest.call;
import static parley.server.registry.ClusterPrivacyRaceTest.race;

/**
 * The privacy race for groups across nodes (issue 16, PROTOCOL.md 7.13): a kick, a leave and a
 * dissolve acknowledged on node 1 hold on node 2 for every request sent after the
 * acknowledgement, though node 2 reads the bus late: the removed member asking GROUP_MEMBERS
 * there gets NO_SUCH_GROUP, and the others no longer see who left. Without the fence on these
 * changes node 2 answers from its old roster for one bus hop after the OK.
 */
class ClusterGroupFenceTest {
    @RegisterExtension
    static final RedisPerClass redis = new RedisPerClass();

    private static Answer call3(SyncRegistryClient c, int op, String g, String user, int code) throws Exception {
        GroupRequest q = new GroupRequest(g, user, code);
        return c.call(op, w -> q.encode(w, op));
    }

    private static Answer members(SyncRegistryClient c) throws Exception {
        return call3(c, RegistryOpcodes.GROUP_MEMBERS, "ops", null, 0);
    }

    /** Anything but NO_SUCH_GROUP for GROUP_MEMBERS is a leak once the removal was acknowledged. */
    private static String unlessNoSuchGroup(SyncRegistryClient c) throws Exception {
        Answer a = members(c);
        return a.error == RegistryErrors.NO_SUCH_GROUP ? null : "GROUP_MEMBERS answered " + a;
    }

    private static List<String> roster(SyncRegistryClient c) throws Exception {
        Answer a = members(c);
        assertThat(a.ok()).as("GROUP_MEMBERS: %s", a).isTrue();
        return GroupMembers.decode(a.body()).members().stream().map(m -> m.user().name()).toList();
    }

    /** alice invites {@code name} (on node 2) and waits until it joined, as seen from both nodes. */
    private static void join(SyncRegistryClient alice, SyncRegistryClient who, String name) throws Exception {
        assertThat(call3(alice, RegistryOpcodes.GROUP_INVITE, "ops", name, 0).ok()).isTrue();
        awaitTrue(() -> call(() -> call3(who, RegistryOpcodes.GROUP_ANSWER, "ops", null, GroupCodes.ANSWER_ACCEPT).ok()));
        awaitTrue(() -> call(() -> roster(alice).contains(name)));
    }

    @Test
    void noNodeAnswersFromTheOldRosterAfterAKickALeaveOrADissolveIsAcknowledged(@TempDir Path dir) throws Exception {
        String store = PostgresFixture.shared().createDatabase();
        try (ClusterNode n1 = ClusterNode.onPostgres("n1", redis.uri(), store, dir.resolve("n1"));
             ClusterNode n2 = new ClusterNode("n2", new DelayedBus(RedisBus.connect(redis.uri(), "n2"),
                     ClusterPrivacyRaceTest.SLOW_NODE_MILLIS), dir.resolve("n2"), store)) {
            Users.register(n1.client(), "alice", "pw-alice");
            Users.register(n1.client(), "dave", "pw-dave");
            Users.register(n2.client(), "carol", "pw-carol");
            SyncRegistryClient alice = n1.login("alice");
            SyncRegistryClient dave = n1.login("dave");
            SyncRegistryClient carol = n2.login("carol");
            Users.makeContacts(alice, "alice", dave, "dave");
            awaitTrue(() -> call(() -> Users.named(alice, RegistryOpcodes.CONTACT_REQUEST, "carol").ok()));
            awaitTrue(() -> call(() -> Users.named(carol, RegistryOpcodes.CONTACT_ACCEPT, "alice").ok()));
            awaitTrue(() -> call(() -> Users.contacts(alice).contacts.contains("carol")));

            assertThat(call3(alice, RegistryOpcodes.GROUP_CREATE, "ops", null, 0).ok()).isTrue();
            join(alice, carol, "carol");

            // A kick on node 1: carol, on the slow node 2, must not see the group after alice's OK.
            List<String> leaks = race(carol, () -> call3(alice, RegistryOpcodes.GROUP_KICK, "ops", "carol", 0).ok(),
                    () -> unlessNoSuchGroup(carol));
            assertThat(leaks).as("after the kick").isEmpty();

            // A leave on node 1: carol on node 2 must no longer list dave after dave's OK.
            join(alice, dave, "dave");
            join(alice, carol, "carol");
            awaitTrue(() -> call(() -> roster(carol).contains("dave")));
            leaks = race(carol, () -> call3(dave, RegistryOpcodes.GROUP_LEAVE, "ops", null, 0).ok(),
                    () -> roster(carol).contains("dave") ? "GROUP_MEMBERS still lists dave" : null);
            assertThat(leaks).as("after the leave").isEmpty();

            // A dissolve (the last member leaves): carol, still only invited on node 2, must not see it after the OK.
            assertThat(call3(alice, RegistryOpcodes.GROUP_KICK, "ops", "carol", 0).ok()).isTrue();
            assertThat(call3(alice, RegistryOpcodes.GROUP_INVITE, "ops", "carol", 0).ok()).isTrue();
            awaitTrue(() -> call(() -> members(carol).ok()));
            leaks = race(carol, () -> call3(alice, RegistryOpcodes.GROUP_LEAVE, "ops", null, 0).ok(),
                    () -> unlessNoSuchGroup(carol));
            assertThat(leaks).as("after the dissolve").isEmpty();
        }
    }
}
