package parley.server.registry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import parley.server.protocol.GroupCodes;
import parley.server.protocol.GroupEntry;
import parley.server.protocol.GroupMembers;
import parley.server.protocol.GroupPush;
import parley.server.protocol.NameBody;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;
import parley.server.registry.HarnessClient.Answer;
import parley.server.registry.HarnessClient.Frame;
import parley.server.store.StorageFailure;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Groups in the registry (PROTOCOL.md 7.12) on the in-memory harness: create, invite, answer,
 * leave, kick, roles, the member limit, the pushes each change sends, durability before the
 * answer, and privacy (a group one is not in reads as one that does not exist).
 */
class GroupRulesTest {
    private final Harness h = new Harness();

    @AfterEach
    void close() {
        h.close();
    }

    private void befriend(HarnessClient a, String aName, HarnessClient b, String bName) {
        assertThat(a.call(RegistryOpcodes.CONTACT_REQUEST, new NameBody(bName)::encode).ok()).isTrue();
        assertThat(b.call(RegistryOpcodes.CONTACT_ACCEPT, new NameBody(aName)::encode).ok()).isTrue();
    }

    private static List<GroupPush.Changed> changes(HarnessClient c) {
        List<GroupPush.Changed> out = new ArrayList<>();
        for (Frame f; (f = c.pushes.poll()) != null; ) {
            if (f.opcode() == RegistryOpcodes.GROUP_CHANGED) {
                out.add(GroupPush.decodeChanged(f.reader()));
            }
        }
        return out;
    }

    private static List<String> memberNames(HarnessClient c, String g) {
        Answer a = GroupCalls.members(c, g);
        assertThat(a.ok()).as("%s", a).isTrue();
        return GroupMembers.decode(a.body()).members().stream().map(m -> m.user().name() + ":" + m.role())
                .collect(Collectors.toList());
    }

    private static String anonymous(Answer a, String name) {
        return a.error() + ":" + a.reason().replace(name, "<name>");
    }

    @Test
    void createInviteAcceptAndTheirPushes() {
        HarnessClient alice = h.user("alice");
        HarnessClient bob = h.user("bob");
        befriend(alice, "alice", bob, "bob");
        Answer created = GroupCalls.create(alice, "Friends");
        assertThat(created.ok()).isTrue();
        byte[] id = new byte[GroupCodes.ID_BYTES];
        created.body().fixed(id);
        assertThat(h.groups.writes).containsExactly("create friends owner 1");

        assertThat(GroupCalls.create(bob, "FRIENDS").error()).isEqualTo(RegistryErrors.GROUP_NAME_TAKEN);
        assertThat(GroupCalls.create(bob, "#bad").error()).isEqualTo(RegistryErrors.BAD_GROUP_NAME);

        bob.pushes.clear();
        assertThat(GroupCalls.invite(alice, "friends", "bob").ok()).isTrue();
        Frame invited = bob.pushes.poll();
        assertThat(invited.opcode()).isEqualTo(RegistryOpcodes.GROUP_INVITED);
        GroupPush.Invited inv = GroupPush.decodeInvited(invited.reader());
        assertThat(inv.id()).isEqualTo(id);
        assertThat(inv.group()).isEqualTo("Friends");
        assertThat(inv.from()).isEqualTo("alice");
        assertThat(GroupCalls.invite(alice, "friends", "bob").error()).isEqualTo(RegistryErrors.ALREADY_IN_GROUP);
        assertThat(memberNames(bob, "friends")).containsExactly("alice:1", "bob:4");

        alice.pushes.clear();
        assertThat(GroupCalls.answer(bob, "friends", true).ok()).isTrue();
        assertThat(changes(alice)).usingRecursiveFieldByFieldElementComparator().containsExactly(
                new GroupPush.Changed(id, "Friends", GroupCodes.CHANGE_JOINED, "bob", GroupCodes.ROLE_MEMBER, 3));
        assertThat(changes(bob)).extracting(GroupPush.Changed::change).containsExactly(GroupCodes.CHANGE_JOINED);
        assertThat(memberNames(alice, "friends")).containsExactly("alice:1", "bob:3");
        List<GroupEntry> bobs = GroupEntry.decodeList(GroupCalls.groups(bob).body());
        assertThat(bobs).hasSize(1);
        assertThat(bobs.get(0).name()).isEqualTo("Friends");
        assertThat(bobs.get(0).role()).isEqualTo(GroupCodes.ROLE_MEMBER);
        assertThat(bobs.get(0).version()).isEqualTo(3);
        assertThat(GroupCalls.answer(bob, "friends", true).error()).isEqualTo(RegistryErrors.ALREADY_IN_GROUP);
    }

    @Test
    void aGroupOneIsNotInReadsAsNoGroupAtAll() {
        HarnessClient alice = h.user("alice");
        HarnessClient eve = h.user("eve");
        befriend(alice, "alice", eve, "eve");
        assertThat(GroupCalls.create(alice, "secret").ok()).isTrue();
        String shape = anonymous(GroupCalls.members(eve, "nothere"), "nothere");
        assertThat(anonymous(GroupCalls.members(eve, "secret"), "secret")).isEqualTo(shape);
        assertThat(anonymous(GroupCalls.answer(eve, "secret", true), "secret")).isEqualTo(shape);
        assertThat(anonymous(GroupCalls.leave(eve, "secret"), "secret")).isEqualTo(shape);
        assertThat(anonymous(GroupCalls.invite(eve, "secret", "alice"), "secret")).isEqualTo(shape);
        assertThat(anonymous(GroupCalls.kick(eve, "secret", "alice"), "secret")).isEqualTo(shape);
        assertThat(anonymous(GroupCalls.role(eve, "secret", "alice", GroupCodes.ROLE_ADMIN), "secret")).isEqualTo(shape);
        assertThat(GroupEntry.decodeList(GroupCalls.groups(eve).body())).isEmpty();
        assertThat(shape).startsWith(RegistryErrors.NO_SUCH_GROUP + ":");
        // Once kicked, the group is gone for her again.
        assertThat(GroupCalls.invite(alice, "secret", "eve").ok()).isTrue();
        assertThat(GroupCalls.kick(alice, "secret", "eve").ok()).isTrue();
        assertThat(anonymous(GroupCalls.members(eve, "secret"), "secret")).isEqualTo(shape);
    }

    @Test
    void onlyContactsCanBeInvitedAndABlockerLooksAbsent() {
        HarnessClient alice = h.user("alice");
        HarnessClient bob = h.user("bob");
        h.user("stranger");
        befriend(alice, "alice", bob, "bob");
        assertThat(GroupCalls.create(alice, "club").ok()).isTrue();
        String ghost = anonymous(GroupCalls.invite(alice, "club", "ghost"), "ghost");
        assertThat(ghost).startsWith(RegistryErrors.NO_SUCH_USER + ":");
        assertThat(anonymous(GroupCalls.invite(alice, "club", "stranger"), "stranger")).isEqualTo(ghost);
        assertThat(bob.call(RegistryOpcodes.BLOCK, new NameBody("alice")::encode).ok()).isTrue();
        bob.pushes.clear();
        assertThat(anonymous(GroupCalls.invite(alice, "club", "bob"), "bob")).isEqualTo(ghost);
        assertThat(bob.pushes).extracting(Frame::opcode).doesNotContain(RegistryOpcodes.GROUP_INVITED);
    }

    @Test
    void kickRemovesAtOnceAndTellsEveryoneIncludingTheKicked() {
        HarnessClient alice = h.user("alice");
        HarnessClient bob = h.user("bob");
        HarnessClient carol = h.user("carol");
        befriend(alice, "alice", bob, "bob");
        befriend(alice, "alice", carol, "carol");
        GroupCalls.create(alice, "team");
        GroupCalls.invite(alice, "team", "bob");
        GroupCalls.invite(alice, "team", "carol");
        GroupCalls.answer(bob, "team", true);
        GroupCalls.answer(carol, "team", true);
        assertThat(GroupCalls.kick(bob, "team", "carol").error()).as("a member may not kick").isEqualTo(RegistryErrors.NOT_GROUP_ADMIN);
        assertThat(GroupCalls.kick(alice, "team", "alice").error()).isEqualTo(RegistryErrors.CANNOT_TARGET_SELF);
        assertThat(GroupCalls.kick(alice, "team", "nobody").error()).isEqualTo(RegistryErrors.NOT_IN_GROUP);
        changes(alice);
        changes(bob);
        changes(carol);
        assertThat(GroupCalls.kick(alice, "team", "carol").ok()).isTrue();
        GroupPush.Changed kicked = changes(carol).get(0);
        assertThat(kicked.change()).isEqualTo(GroupCodes.CHANGE_KICKED);
        assertThat(kicked.user()).isEqualTo("carol");
        assertThat(kicked.role()).isEqualTo(GroupCodes.ROLE_NONE);
        assertThat(changes(bob)).usingRecursiveFieldByFieldElementComparator().containsExactly(kicked);
        assertThat(memberNames(bob, "team")).containsExactly("alice:1", "bob:3");
        assertThat(GroupCalls.members(carol, "team").error()).isEqualTo(RegistryErrors.NO_SUCH_GROUP);

    }

    @Test
    void adminsAndOwnershipPassingOnAndTheLastOneOutClosesTheGroup() {
        HarnessClient alice = h.user("alice");
        HarnessClient bob = h.user("bob");
        HarnessClient carol = h.user("carol");
        HarnessClient dave = h.user("dave");
        befriend(alice, "alice", bob, "bob");
        befriend(alice, "alice", carol, "carol");
        befriend(bob, "bob", dave, "dave");
        GroupCalls.create(alice, "crew");
        GroupCalls.invite(alice, "crew", "bob");
        GroupCalls.invite(alice, "crew", "carol");
        GroupCalls.answer(bob, "crew", true);
        GroupCalls.answer(carol, "crew", true);
        assertThat(GroupCalls.invite(bob, "crew", "dave").error()).isEqualTo(RegistryErrors.NOT_GROUP_ADMIN);
        assertThat(GroupCalls.role(bob, "crew", "carol", GroupCodes.ROLE_ADMIN).error()).isEqualTo(RegistryErrors.NOT_GROUP_ADMIN);
        assertThat(GroupCalls.role(alice, "crew", "carol", GroupCodes.ROLE_ADMIN).ok()).isTrue();
        assertThat(GroupCalls.role(alice, "crew", "bob", GroupCodes.ROLE_ADMIN).ok()).isTrue();
        assertThat(GroupCalls.kick(bob, "crew", "carol").error()).as("an admin may not kick an admin")
                .isEqualTo(RegistryErrors.NOT_GROUP_ADMIN);
        assertThat(GroupCalls.invite(bob, "crew", "dave").ok()).as("an admin invites").isTrue();

        // The owner leaves: the first admin in join order (bob) becomes owner.
        changes(bob);
        assertThat(GroupCalls.leave(alice, "crew").ok()).isTrue();
        assertThat(changes(bob)).extracting(GroupPush.Changed::change, GroupPush.Changed::user, GroupPush.Changed::role)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(GroupCodes.CHANGE_LEFT, "alice", 0),
                        org.assertj.core.groups.Tuple.tuple(GroupCodes.CHANGE_ROLE, "bob", GroupCodes.ROLE_OWNER));
        assertThat(memberNames(carol, "crew")).containsExactly("bob:1", "carol:2", "dave:4");
        assertThat(GroupCalls.leave(carol, "crew").ok()).isTrue();
        changes(dave);
        assertThat(GroupCalls.leave(bob, "crew").ok()).as("the last member leaves").isTrue();
        assertThat(changes(dave)).extracting(GroupPush.Changed::change).containsExactly(GroupCodes.CHANGE_CLOSED);
        assertThat(GroupCalls.members(dave, "crew").error()).isEqualTo(RegistryErrors.NO_SUCH_GROUP);
        assertThat(GroupCalls.create(dave, "crew").ok()).as("the name is free again").isTrue();
    }

    @Test
    void declineRemovesTheInvitation() {
        HarnessClient alice = h.user("alice");
        HarnessClient bob = h.user("bob");
        befriend(alice, "alice", bob, "bob");
        GroupCalls.create(alice, "book");
        GroupCalls.invite(alice, "book", "bob");
        changes(alice);
        assertThat(GroupCalls.answer(bob, "book", false).ok()).isTrue();
        assertThat(changes(alice)).extracting(GroupPush.Changed::change).containsExactly(GroupCodes.CHANGE_DECLINED);
        assertThat(GroupCalls.members(bob, "book").error()).isEqualTo(RegistryErrors.NO_SUCH_GROUP);
    }

    @Test
    void theMemberLimitCountsMembersAndInvitees() {
        HarnessClient owner = h.user("owner");
        GroupCalls.create(owner, "big");
        for (int i = 1; i < GroupCodes.MAX_MEMBERS; i++) {
            String name = "user" + i;
            HarnessClient u = h.user(name);
            befriend(owner, "owner", u, name);
            assertThat(GroupCalls.invite(owner, "big", name).ok()).as("invite %d", i).isTrue();
        }
        HarnessClient last = h.user("onetoomany");
        befriend(owner, "owner", last, "onetoomany");
        assertThat(GroupCalls.invite(owner, "big", "onetoomany").error()).isEqualTo(RegistryErrors.GROUP_FULL);
    }

    @Test
    void nothingChangesUntilTheWriteIsDurableAndAFailedWriteChangesNothing() {
        HarnessClient alice = h.user("alice");
        HarnessClient bob = h.user("bob");
        befriend(alice, "alice", bob, "bob");
        GroupCalls.create(alice, "club");
        h.groups.failNext(new StorageFailure(StorageFailure.Kind.IO, "disk gone"));
        assertThat(GroupCalls.invite(alice, "club", "bob").error()).isEqualTo(RegistryErrors.STORAGE_FAILED);
        assertThat(GroupCalls.members(bob, "club").error()).isEqualTo(RegistryErrors.NO_SUCH_GROUP);
        assertThat(bob.pushes).extracting(Frame::opcode).doesNotContain(RegistryOpcodes.GROUP_INVITED);
        h.groups.failNext(new StorageFailure(StorageFailure.Kind.IO, "disk gone"));
        assertThat(GroupCalls.create(alice, "other").error()).isEqualTo(RegistryErrors.STORAGE_FAILED);
        assertThat(GroupCalls.create(bob, "other").ok()).as("a failed create does not keep the name").isTrue();
    }

    private static Answer mail(HarnessClient from, String to, long id) {
        return from.call(RegistryOpcodes.MAIL_DEPOSIT, new parley.server.protocol.MailDeposit(to, id, new byte[] {1, 2, 3})::encode);
    }

    /**
     * Group mail (7.12): members who are not contacts may leave each other sealed mail, since a
     * group message goes pairwise (9.3.2); an invitee and a former member read as a name nobody
     * owns, exactly as for any stranger (a co-member who blocked the sender: the test below).
     */
    @Test
    void coMembersMayLeaveEachOtherMailButInviteesAndFormerMembersMayNot() {
        HarnessClient alice = h.user("alice");
        HarnessClient bob = h.user("bob");
        HarnessClient carol = h.user("carol");
        befriend(alice, "alice", bob, "bob");
        befriend(alice, "alice", carol, "carol");
        String stranger = anonymous(mail(bob, "ghost", 1), "ghost");
        assertThat(anonymous(mail(bob, "carol", 2), "carol")).as("not contacts, no group").isEqualTo(stranger);
        assertThat(bob.call(RegistryOpcodes.IDENTITY_LOOKUP, new NameBody("carol")::encode).error()).isEqualTo(RegistryErrors.NO_SUCH_USER);
        assertThat(GroupCalls.create(alice, "ops").ok()).isTrue();
        assertThat(GroupCalls.invite(alice, "ops", "bob").ok()).isTrue();
        assertThat(GroupCalls.invite(alice, "ops", "carol").ok()).isTrue();
        assertThat(GroupCalls.answer(bob, "ops", true).ok()).isTrue();
        assertThat(anonymous(mail(bob, "carol", 3), "carol")).as("carol is only invited").isEqualTo(stranger);
        assertThat(GroupCalls.answer(carol, "ops", true).ok()).isTrue();
        assertThat(mail(bob, "carol", 4).ok()).isTrue();
        assertThat(mail(carol, "bob", 5).ok()).isTrue();
        assertThat(bob.call(RegistryOpcodes.IDENTITY_LOOKUP, new NameBody("carol")::encode).ok()).as("carol's identity").isTrue();
        assertThat(carol.call(RegistryOpcodes.BLOCK, new NameBody("bob")::encode).ok()).isTrue();
        assertThat(mail(bob, "carol", 6).ok()).as("carol blocked bob: answered as stored, see below").isTrue();
        assertThat(carol.call(RegistryOpcodes.UNBLOCK, new NameBody("bob")::encode).ok()).isTrue();
        assertThat(mail(bob, "carol", 7).ok()).isTrue();
        assertThat(GroupCalls.leave(carol, "ops").ok()).isTrue();
        assertThat(anonymous(mail(bob, "carol", 8), "carol")).as("carol left").isEqualTo(stranger);
        assertThat(bob.call(RegistryOpcodes.IDENTITY_LOOKUP, new NameBody("carol")::encode).error()).isEqualTo(RegistryErrors.NO_SUCH_USER);
    }

    /**
     * A co-member who blocked the sender reads to it exactly as a co-member who is offline (7.12,
     * "Group mail"; the registry's one decision, Presence): the sender sees her in GROUP_MEMBERS, so
     * a NO_SUCH_USER would tell it about the block. IDENTITY_LOOKUP answers her bundle and
     * MAIL_DEPOSIT answers the same bytes as for a stored deposit, but nothing reaches her
     * mailbox. Before, both answered NO_SUCH_USER and the sender's copy failed.
     */
    @Test
    void aCoMemberWhoBlockedTheSenderLooksLikeAnOfflineMemberAndGetsNothing() {
        h.config.wallClockMillis = () -> 1_000_000L;
        HarnessClient alice = h.user("alice");
        HarnessClient bob = h.user("bob");
        HarnessClient carol = h.user("carol");
        HarnessClient dave = h.user("dave");
        befriend(alice, "alice", bob, "bob");
        befriend(alice, "alice", carol, "carol");
        befriend(alice, "alice", dave, "dave");
        assertThat(GroupCalls.create(alice, "ops").ok()).isTrue();
        for (HarnessClient m : List.of(bob, carol, dave)) {
            String name = m == bob ? "bob" : m == carol ? "carol" : "dave";
            assertThat(GroupCalls.invite(alice, "ops", name).ok()).isTrue();
            assertThat(GroupCalls.answer(m, "ops", true).ok()).isTrue();
        }
        dave.disconnect(); // offline
        assertThat(carol.call(RegistryOpcodes.BLOCK, new NameBody("bob")::encode).ok()).isTrue();

        Answer toBlocker = mail(bob, "carol", 10);
        Answer toOffline = mail(bob, "dave", 10);
        assertThat(toBlocker.ok()).as("%s", toBlocker).isTrue();
        assertThat(toBlocker.bytes()).isEqualTo(toOffline.bytes());
        Answer keyOfBlocker = bob.call(RegistryOpcodes.IDENTITY_LOOKUP, new NameBody("carol")::encode);
        Answer keyOfOffline = bob.call(RegistryOpcodes.IDENTITY_LOOKUP, new NameBody("dave")::encode);
        assertThat(keyOfBlocker.ok()).as("%s", keyOfBlocker).isTrue();
        assertThat(keyOfBlocker.error()).isEqualTo(keyOfOffline.error());
        // GROUP_MEMBERS shows both offline, alike (apart from dave's last seen, which bob may see).
        List<String> seen = GroupMembers.decode(GroupCalls.members(bob, "ops").body()).members().stream()
                .filter(m -> !m.user().name().equals("alice") && !m.user().name().equals("bob"))
                .map(m -> m.user().name() + ":" + m.role() + ":" + m.user().presence()).collect(Collectors.toList());
        assertThat(seen).containsExactlyInAnyOrder("carol:3:0", "dave:3:0");
        // Nothing was kept for carol, and she was not told of any.
        assertThat(carol.pushes).extracting(Frame::opcode).doesNotContain(RegistryOpcodes.MAIL_WAITING);
        assertThat(MailboxRulesTest.fetch(carol, 0, 10).entries()).isEmpty();
        // A blocker who is not a co-member still reads as nobody; a former co-member too.
        assertThat(GroupCalls.leave(carol, "ops").ok()).isTrue();
        String stranger = anonymous(mail(bob, "ghost", 11), "ghost");
        assertThat(anonymous(mail(bob, "carol", 12), "carol")).isEqualTo(stranger);
        assertThat(bob.call(RegistryOpcodes.IDENTITY_LOOKUP, new NameBody("carol")::encode).error()).isEqualTo(RegistryErrors.NO_SUCH_USER);
    }
}
