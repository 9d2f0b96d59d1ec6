package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.server.protocol.GroupCodes;
import parley.server.protocol.GroupEntry;
import parley.server.protocol.GroupMembers;
import parley.server.protocol.GroupPush;
import parley.server.protocol.GroupRequest;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.client.SyncRegistryClient;
import parley.server.protocol.client.SyncRegistryClient.Answer;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Groups (7.12) over a real TLS socket, a real loop and SQLite: create, invite, the GROUP_INVITED
 * and GROUP_CHANGED pushes as a client decodes them, and what a registry restart keeps (every
 * group, role and membership version, since each change was durable before it was answered).
 */
class GroupServerTest {
    @TempDir
    Path data;

    private static Answer call(SyncRegistryClient c, int op, String g, String user, int code) throws Exception {
        GroupRequest q = new GroupRequest(g, user, code);
        return c.call(op, w -> q.encode(w, op));
    }

    private static List<String> members(SyncRegistryClient c, String g) throws Exception {
        Answer a = call(c, RegistryOpcodes.GROUP_MEMBERS, g, null, 0);
        assertThat(a.ok()).as("%s", a).isTrue();
        return GroupMembers.decode(a.body()).members().stream().map(m -> m.user().name() + ":" + m.role())
                .collect(Collectors.toList());
    }

    @Test
    void membershipOverTheWireAndWhatARestartKeeps() throws Exception {
        long version;
        try (ServerFixture fx = new ServerFixture(data, ServerFixture.manyUsers(new RegistryConfig()))) {
            SyncRegistryClient alice = fx.user("alice");
            SyncRegistryClient bob = fx.user("bob");
            SyncRegistryClient carol = fx.user("carol");
            Users.makeContacts(alice, "alice", bob, "bob");
            Users.makeContacts(alice, "alice", carol, "carol");
            assertThat(call(alice, RegistryOpcodes.GROUP_CREATE, "Ops", null, 0).ok()).isTrue();
            assertThat(call(alice, RegistryOpcodes.GROUP_INVITE, "ops", "bob", 0).ok()).isTrue();
            assertThat(call(alice, RegistryOpcodes.GROUP_INVITE, "ops", "carol", 0).ok()).isTrue();
            SyncRegistryClient.Push p = bob.awaitPush(RegistryOpcodes.GROUP_INVITED, 10, TimeUnit.SECONDS);
            GroupPush.Invited inv = GroupPush.decodeInvited(p.body());
            assertThat(inv.group()).isEqualTo("Ops");
            assertThat(inv.from()).isEqualTo("alice");
            assertThat(call(bob, RegistryOpcodes.GROUP_ANSWER, "ops", null, GroupCodes.ANSWER_ACCEPT).ok()).isTrue();
            GroupPush.Changed joined;
            do { // alice first hears of the two invitations (change 5), then of bob joining
                joined = GroupPush.decodeChanged(alice.awaitPush(RegistryOpcodes.GROUP_CHANGED, 10, TimeUnit.SECONDS).body());
            } while (joined.change() == GroupCodes.CHANGE_INVITED);
            assertThat(joined.change()).isEqualTo(GroupCodes.CHANGE_JOINED);
            assertThat(joined.user()).isEqualTo("bob");
            assertThat(call(alice, RegistryOpcodes.GROUP_ROLE, "ops", "bob", GroupCodes.ROLE_ADMIN).ok()).isTrue();
            SyncRegistryClient eve = fx.user("eve");
            Answer probe = call(eve, RegistryOpcodes.GROUP_MEMBERS, "ops", null, 0);
            Answer none = call(eve, RegistryOpcodes.GROUP_MEMBERS, "opz", null, 0);
            assertThat(probe.error).isEqualTo(RegistryErrors.NO_SUCH_GROUP);
            assertThat(probe.reason.replace("ops", "X")).isEqualTo(none.reason.replace("opz", "X"));
            assertThat(members(alice, "ops")).containsExactly("alice:1", "bob:2", "carol:4");
            version = GroupMembers.decode(call(alice, RegistryOpcodes.GROUP_MEMBERS, "ops", null, 0).body()).version();
        }
        try (ServerFixture fx = new ServerFixture(data, ServerFixture.manyUsers(new RegistryConfig()))) {
            SyncRegistryClient bob = fx.login("bob");
            SyncRegistryClient carol = fx.login("carol");
            List<GroupEntry> mine = GroupEntry.decodeList(bob.call(RegistryOpcodes.GROUPS).body());
            assertThat(mine).extracting(GroupEntry::name, GroupEntry::role, GroupEntry::version)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("Ops", GroupCodes.ROLE_ADMIN, version));
            assertThat(members(bob, "ops")).as("roles and join order survive").containsExactly("alice:1", "bob:2", "carol:4");
            assertThat(call(carol, RegistryOpcodes.GROUP_ANSWER, "ops", null, GroupCodes.ANSWER_ACCEPT).ok())
                    .as("an invitation survives").isTrue();
            assertThat(call(bob, RegistryOpcodes.GROUP_CREATE, "OPS", null, 0).error)
                    .as("the name stays taken").isEqualTo(RegistryErrors.GROUP_NAME_TAKEN);
        }
    }

    @Test
    void aKickAndADissolvedGroupStayThatWayAfterARestart() throws Exception {
        try (ServerFixture fx = new ServerFixture(data, ServerFixture.manyUsers(new RegistryConfig()))) {
            SyncRegistryClient alice = fx.user("alice");
            SyncRegistryClient bob = fx.user("bob");
            Users.makeContacts(alice, "alice", bob, "bob");
            assertThat(call(alice, RegistryOpcodes.GROUP_CREATE, "kept", null, 0).ok()).isTrue();
            assertThat(call(alice, RegistryOpcodes.GROUP_CREATE, "gone", null, 0).ok()).isTrue();
            assertThat(call(alice, RegistryOpcodes.GROUP_INVITE, "kept", "bob", 0).ok()).isTrue();
            assertThat(call(bob, RegistryOpcodes.GROUP_ANSWER, "kept", null, GroupCodes.ANSWER_ACCEPT).ok()).isTrue();
            assertThat(call(alice, RegistryOpcodes.GROUP_KICK, "kept", "bob", 0).ok()).isTrue();
            assertThat(call(alice, RegistryOpcodes.GROUP_LEAVE, "gone", null, 0).ok()).as("the last member leaves").isTrue();
        }
        try (ServerFixture fx = new ServerFixture(data, ServerFixture.manyUsers(new RegistryConfig()))) {
            SyncRegistryClient alice = fx.login("alice");
            SyncRegistryClient bob = fx.login("bob");
            assertThat(call(bob, RegistryOpcodes.GROUP_MEMBERS, "kept", null, 0).error).as("still kicked")
                    .isEqualTo(RegistryErrors.NO_SUCH_GROUP);
            assertThat(GroupEntry.decodeList(bob.call(RegistryOpcodes.GROUPS).body())).isEmpty();
            assertThat(members(alice, "kept")).containsExactly("alice:1");
            assertThat(GroupEntry.decodeList(alice.call(RegistryOpcodes.GROUPS).body())).extracting(GroupEntry::name)
                    .containsExactly("kept");
            assertThat(call(bob, RegistryOpcodes.GROUP_CREATE, "gone", null, 0).ok()).as("a dissolved group's name is free").isTrue();
        }
    }
}
