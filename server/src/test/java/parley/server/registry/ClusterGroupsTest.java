package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import parley.server.protocol.GroupCodes;
import parley.server.protocol.GroupMembers;
import parley.server.protocol.GroupPush;
import parley.server.protocol.GroupRequest;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.client.SyncRegistryClient;
import parley.server.protocol.client.SyncRegistryClient.Answer;
import parley.server.store.PostgresFixture;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Groups across two nodes on one PostgreSQL store (PROTOCOL.md 7.12, 7.13): a group created on
 * node 1 is known on node 2 at once; invitations, joins, a role, a kick and a leave made on either
 * node reach the members on the other one as GROUP_INVITED / GROUP_CHANGED pushes, and what a
 * non-member or a removed member learns there is what Presence#groupFor allows: nothing.
 */
class ClusterGroupsTest {
    @RegisterExtension
    static final RedisPerClass redis = new RedisPerClass();

    private static Answer call(SyncRegistryClient c, int op, String g, String user, int code) throws Exception {
        GroupRequest q = new GroupRequest(g, user, code);
        return c.call(op, w -> q.encode(w, op));
    }

    private static List<String> members(SyncRegistryClient c, String g) throws Exception {
        Answer a = call(c, RegistryOpcodes.GROUP_MEMBERS, g, null, 0);
        assertThat(a.ok()).as("GROUP_MEMBERS: %s", a).isTrue();
        return GroupMembers.decode(a.body()).members().stream().map(m -> m.user().name() + ":" + m.role())
                .collect(Collectors.toList());
    }

    /** The next GROUP_CHANGED on {@code c} whose change is {@code kind}, skipping others. */
    private static GroupPush.Changed changed(SyncRegistryClient c, int kind) throws Exception {
        while (true) {
            SyncRegistryClient.Push p = c.awaitPush(RegistryOpcodes.GROUP_CHANGED, 20, TimeUnit.SECONDS);
            assertThat(p).as("GROUP_CHANGED %s", kind).isNotNull();
            GroupPush.Changed ch = GroupPush.decodeChanged(p.body());
            if (ch.change() == kind) {
                return ch;
            }
        }
    }

    /** a on one node asks, b on another accepts (the request may still be one bus hop away). */
    private static void contacts(SyncRegistryClient a, String aName, SyncRegistryClient b, String bName) throws Exception {
        assertThat(Users.named(a, RegistryOpcodes.CONTACT_REQUEST, bName).ok()).isTrue();
        ClusterPrivacyRaceTest.awaitTrue(() -> ClusterPrivacyRaceTest.call(
                () -> Users.named(b, RegistryOpcodes.CONTACT_ACCEPT, aName).ok()));
        ClusterPrivacyRaceTest.awaitTrue(() -> ClusterPrivacyRaceTest.call(
                () -> Users.contacts(a).contacts.contains(bName)));
    }

    @Test
    void groupChangesOnEitherNodeReachTheMembersOnTheOther(@TempDir Path dir) throws Exception {
        String store = PostgresFixture.shared().createDatabase();
        try (ClusterNode n1 = ClusterNode.onPostgres("n1", redis.uri(), store, dir.resolve("n1"));
             ClusterNode n2 = ClusterNode.onPostgres("n2", redis.uri(), store, dir.resolve("n2"))) {
            Users.register(n1.client(), "alice", "pw-alice");
            for (String u : new String[] {"bob", "carol", "eve"}) {
                Users.register(n2.client(), u, "pw-" + u);
            }
            SyncRegistryClient alice = n1.login("alice");
            SyncRegistryClient bob = n2.login("bob");
            SyncRegistryClient carol = n2.login("carol");
            SyncRegistryClient eve = n2.login("eve");
            contacts(alice, "alice", bob, "bob");
            contacts(alice, "alice", carol, "carol");

            // Created and invited on node 1: bob hears of it on node 2 and joins there.
            assertThat(call(alice, RegistryOpcodes.GROUP_CREATE, "Ops", null, 0).ok()).isTrue();
            assertThat(call(alice, RegistryOpcodes.GROUP_INVITE, "ops", "bob", 0).ok()).isTrue();
            SyncRegistryClient.Push invited = bob.awaitPush(RegistryOpcodes.GROUP_INVITED, 20, TimeUnit.SECONDS);
            assertThat(invited).as("GROUP_INVITED on node 2").isNotNull();
            assertThat(GroupPush.decodeInvited(invited.body()).from()).isEqualTo("alice");
            assertThat(call(bob, RegistryOpcodes.GROUP_ANSWER, "ops", null, GroupCodes.ANSWER_ACCEPT).ok())
                    .as("bob joins on node 2").isTrue();
            assertThat(changed(alice, GroupCodes.CHANGE_JOINED).user()).isEqualTo("bob");
            assertThat(members(bob, "ops")).containsExactly("alice:" + GroupCodes.ROLE_OWNER, "bob:" + GroupCodes.ROLE_MEMBER);

            // A role set on node 1 lets bob invite on node 2; alice on node 1 hears of it.
            assertThat(call(alice, RegistryOpcodes.GROUP_ROLE, "ops", "bob", GroupCodes.ROLE_ADMIN).ok()).isTrue();
            assertThat(changed(bob, GroupCodes.CHANGE_ROLE).role()).isEqualTo(GroupCodes.ROLE_ADMIN);
            Users.makeContacts(bob, "bob", carol, "carol");
            assertThat(call(bob, RegistryOpcodes.GROUP_INVITE, "ops", "carol", 0).ok()).as("bob invites on node 2").isTrue();
            assertThat(changed(alice, GroupCodes.CHANGE_INVITED).user()).isEqualTo("carol");
            assertThat(call(carol, RegistryOpcodes.GROUP_ANSWER, "ops", null, GroupCodes.ANSWER_ACCEPT).ok()).isTrue();
            assertThat(changed(alice, GroupCodes.CHANGE_JOINED).user()).isEqualTo("carol");
            ClusterPrivacyRaceTest.awaitTrue(() -> ClusterPrivacyRaceTest.call(() -> members(alice, "ops").size() == 3));

            // A kick on node 1 reaches carol on node 2, and she no longer sees the group there.
            carol.pushes().clear();
            assertThat(call(alice, RegistryOpcodes.GROUP_KICK, "ops", "carol", 0).ok()).isTrue();
            assertThat(changed(carol, GroupCodes.CHANGE_KICKED).user()).isEqualTo("carol");
            assertThat(call(carol, RegistryOpcodes.GROUP_MEMBERS, "ops", null, 0).error).isEqualTo(RegistryErrors.NO_SUCH_GROUP);
            assertThat(members(bob, "ops")).containsExactly("alice:" + GroupCodes.ROLE_OWNER, "bob:" + GroupCodes.ROLE_ADMIN);
            // A non-member on node 2 learns as little as of a group that does not exist.
            assertThat(call(eve, RegistryOpcodes.GROUP_MEMBERS, "ops", null, 0).error).isEqualTo(RegistryErrors.NO_SUCH_GROUP);
            assertThat(call(eve, RegistryOpcodes.GROUP_MEMBERS, "opz", null, 0).error).isEqualTo(RegistryErrors.NO_SUCH_GROUP);
            assertThat(call(eve, RegistryOpcodes.GROUP_CREATE, "ops", null, 0).error)
                    .as("the name is taken on node 2 too").isEqualTo(RegistryErrors.GROUP_NAME_TAKEN);

            // bob leaves on node 2: alice on node 1 hears it and is alone; she leaves, the group goes everywhere.
            assertThat(call(bob, RegistryOpcodes.GROUP_LEAVE, "ops", null, 0).ok()).isTrue();
            assertThat(changed(alice, GroupCodes.CHANGE_LEFT).user()).isEqualTo("bob");
            assertThat(members(alice, "ops")).containsExactly("alice:" + GroupCodes.ROLE_OWNER);
            assertThat(call(alice, RegistryOpcodes.GROUP_LEAVE, "ops", null, 0).ok()).isTrue();
            ClusterPrivacyRaceTest.awaitTrue(() -> ClusterPrivacyRaceTest.call(
                    () -> call(eve, RegistryOpcodes.GROUP_CREATE, "ops", null, 0).ok()));
        }
    }
}
