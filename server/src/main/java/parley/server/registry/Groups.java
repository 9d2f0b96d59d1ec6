package parley.server.registry;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.MessageClass;
import parley.server.protocol.Empty;
import parley.server.protocol.GroupCodes;
import parley.server.protocol.GroupEntry;
import parley.server.protocol.GroupMembers;
import parley.server.protocol.GroupRequest;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.Usernames;
import parley.server.store.GroupChange;
import parley.server.store.GroupRecord;
import parley.server.store.GroupWrites;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Groups (PROTOCOL.md 7.12): GROUP_CREATE, GROUP_INVITE, GROUP_ANSWER, GROUP_LEAVE, GROUP_KICK,
 * GROUP_ROLE, GROUP_MEMBERS and GROUPS. Every change is durable before it is applied, answered and
 * pushed ({@link GroupNotices}). Which group a caller may know is asked of
 * {@link Presence#groupFor}, whom it may invite of {@link Presence#findContactFor}: the registry's
 * one privacy decision, so a group the caller is not in reads exactly as one that does not exist,
 * and a user who blocked the inviter exactly as one who does not exist. Loop thread only.
 */
final class Groups {
    private final GroupDirectory directory;
    private final Registry registry;
    private final Presence presence;
    private final Replies replies;
    private final GroupWrites store;
    private final RegistryConfig config;
    final GroupNotices notices;
    /** Tells the other cluster nodes each committed change (a no-op alone or with per-node stores). */
    ClusterGroups nodes;
    private final SecureRandom random = new SecureRandom();

    Groups(GroupDirectory directory, Registry registry, Presence presence, Replies replies, GroupWrites store,
           RegistryConfig config) {
        this.directory = directory;
        this.registry = registry;
        this.presence = presence;
        this.replies = replies;
        this.store = store;
        this.config = config;
        this.notices = new GroupNotices(replies);
    }

    private long now() {
        return config.wallClockMillis.getAsLong();
    }

    /** The group as the caller may know it, answering NO_SUCH_GROUP itself when it may not; null if it did. */
    private Group visible(Session s, int correlation, String name) {
        Group g = Presence.groupFor(s.account, directory.byName(name));
        if (g == null) {
            replies.error(s, correlation, RegistryErrors.NO_SUCH_GROUP, "no such group: #" + name);
        }
        return g;
    }

    void create(Session s, int correlation, BodyReader r) {
        String name = GroupRequest.decodeName(r).group();
        Account me = s.account;
        if (Usernames.check(name) != 0) {
            replies.error(s, correlation, RegistryErrors.BAD_GROUP_NAME,
                    "a group name has 3 to 32 ASCII letters, digits, '_', '-' or '.'");
            return;
        }
        String key = Usernames.key(name);
        if (directory.nameTakenOrReserved(key)) {
            replies.error(s, correlation, RegistryErrors.GROUP_NAME_TAKEN, "the name #" + name + " is taken");
            return;
        }
        if (directory.of(me).size() >= GroupCodes.MAX_GROUPS_PER_ACCOUNT) {
            replies.error(s, correlation, RegistryErrors.TOO_MANY_GROUPS, "you are in " + GroupCodes.MAX_GROUPS_PER_ACCOUNT + " groups already");
            return;
        }
        byte[] id = new byte[GroupCodes.ID_BYTES];
        random.nextBytes(id);
        long at = now();
        GroupRecord record = new GroupRecord(id, name, key, 1, at);
        directory.reserve(key);
        store.groupCreate(record, me.id, (ok, error) -> {
            directory.release(key);
            if (error != null) {
                replies.storageFailed(s, correlation, error);
                return;
            }
            Group g = new Group(id, name, key, record.version(), at);
            directory.add(g);
            directory.setRole(g, me, GroupCodes.ROLE_OWNER);
            nodes.published(g, ClusterGroups.CREATED, new Account[] {me}, new int[] {GroupCodes.ROLE_OWNER});
            if (s.link.isOpen()) {
                GroupMembers.writeCreated(replies.begin(s.link), id);
                replies.respond(s.link, MessageClass.COMMAND, RegistryOpcodes.GROUP_CREATE, correlation);
            }
        });
    }

    void invite(Session s, int correlation, BodyReader r) {
        GroupRequest q = GroupRequest.decodeNameUser(r);
        Account me = s.account;
        Group g = visible(s, correlation, q.group());
        if (g == null) {
            return;
        }
        if (!GroupCodes.mayManage(g.role(me))) {
            replies.error(s, correlation, RegistryErrors.NOT_GROUP_ADMIN, "only the owner or an admin of #" + g.name + " may invite");
            return;
        }
        Account t = presence.findContactFor(me, q.user());
        if (t == null) {
            replies.error(s, correlation, RegistryErrors.NO_SUCH_USER, "no such user: " + q.user());
            return;
        }
        if (g.role(t) != GroupCodes.ROLE_NONE) {
            replies.error(s, correlation, RegistryErrors.ALREADY_IN_GROUP, t.name + " is already in #" + g.name + " or invited");
            return;
        }
        if (g.size() + g.pendingInvites >= GroupCodes.MAX_MEMBERS) {
            replies.error(s, correlation, RegistryErrors.GROUP_FULL, "#" + g.name + " has " + GroupCodes.MAX_MEMBERS + " members and invitees");
            return;
        }
        if (directory.of(t).size() >= GroupCodes.MAX_GROUPS_PER_ACCOUNT) {
            replies.error(s, correlation, RegistryErrors.TOO_MANY_GROUPS, t.name + " is in too many groups");
            return;
        }
        g.pendingInvites++;
        GroupChange c = GroupChange.one(g.id, g.nextVersion(), t.id, GroupCodes.ROLE_INVITEE, now());
        store.groupChange(c, (ok, error) -> {
            g.pendingInvites--;
            if (error != null) {
                replies.storageFailed(s, correlation, error);
                return;
            }
            g.version = c.version();
            directory.setRole(g, t, GroupCodes.ROLE_INVITEE);
            replies.ok(s, RegistryOpcodes.GROUP_INVITE, correlation);
            notices.invited(t, g, me);
            notices.changed(g, GroupCodes.CHANGE_INVITED, t, GroupCodes.ROLE_INVITEE, null);
            nodes.published(g, ClusterGroups.CHANGED, new Account[] {t}, new int[] {GroupCodes.ROLE_INVITEE});
        });
    }

    void answer(Session s, int correlation, BodyReader r) {
        GroupRequest q = GroupRequest.decodeAnswer(r);
        Account me = s.account;
        Group g = visible(s, correlation, q.group());
        if (g == null) {
            return;
        }
        if (g.role(me) != GroupCodes.ROLE_INVITEE) {
            replies.error(s, correlation, RegistryErrors.ALREADY_IN_GROUP, "you are already a member of #" + g.name);
            return;
        }
        boolean accept = q.code() == GroupCodes.ANSWER_ACCEPT;
        int role = accept ? GroupCodes.ROLE_MEMBER : GroupCodes.ROLE_NONE;
        change(s, correlation, RegistryOpcodes.GROUP_ANSWER, g, me, role,
                accept ? GroupCodes.CHANGE_JOINED : GroupCodes.CHANGE_DECLINED);
    }

    void leave(Session s, int correlation, BodyReader r) {
        String name = GroupRequest.decodeName(r).group();
        Account me = s.account;
        Group g = visible(s, correlation, name);
        if (g == null) {
            return;
        }
        int mine = g.role(me);
        if (mine == GroupCodes.ROLE_INVITEE) {
            change(s, correlation, RegistryOpcodes.GROUP_LEAVE, g, me, GroupCodes.ROLE_NONE, GroupCodes.CHANGE_DECLINED);
            return;
        }
        if (mine != GroupCodes.ROLE_OWNER) {
            change(s, correlation, RegistryOpcodes.GROUP_LEAVE, g, me, GroupCodes.ROLE_NONE, GroupCodes.CHANGE_LEFT);
            return;
        }
        Account heir = g.successor(me);
        if (heir == null) {
            dissolve(s, correlation, g, me);
            return;
        }
        GroupChange c = new GroupChange(g.id, g.nextVersion(), new long[] {me.id, heir.id},
                new int[] {GroupCodes.ROLE_NONE, GroupCodes.ROLE_OWNER}, now(), false);
        store.groupChange(c, replies.committed(s, correlation, () -> {
            g.version = c.version();
            directory.setRole(g, me, GroupCodes.ROLE_NONE);
            directory.setRole(g, heir, GroupCodes.ROLE_OWNER);
            Runnable ok = answerNowOrFenced(s, RegistryOpcodes.GROUP_LEAVE, correlation);
            notices.changed(g, GroupCodes.CHANGE_LEFT, me, GroupCodes.ROLE_NONE, me);
            notices.changed(g, GroupCodes.CHANGE_ROLE, heir, GroupCodes.ROLE_OWNER, null);
            nodes.publishedFenced(g, ClusterGroups.CHANGED, new Account[] {me, heir},
                    new int[] {GroupCodes.ROLE_NONE, GroupCodes.ROLE_OWNER},
                    ok, () -> replies.busUnavailable(s, correlation));
        }));
    }

    /** The owner was the last member: the group goes, and its invitees are told it closed. */
    private void dissolve(Session s, int correlation, Group g, Account me) {
        GroupChange c = new GroupChange(g.id, g.nextVersion(), new long[0], new int[0], now(), true);
        store.groupChange(c, replies.committed(s, correlation, () -> {
            g.version = c.version();
            List<Account> told = new ArrayList<>();
            for (Map.Entry<Account, Integer> e : g.entries()) {
                told.add(e.getKey());
            }
            directory.remove(g);
            Runnable ok = answerNowOrFenced(s, RegistryOpcodes.GROUP_LEAVE, correlation);
            for (Account a : told) {
                notices.one(a, g, a == me ? GroupCodes.CHANGE_LEFT : GroupCodes.CHANGE_CLOSED, me, GroupCodes.ROLE_NONE);
            }
            nodes.publishedFenced(g, ClusterGroups.DISSOLVED, new Account[0], new int[0],
                    ok, () -> replies.busUnavailable(s, correlation));
        }));
    }

    void kick(Session s, int correlation, BodyReader r) {
        GroupRequest q = GroupRequest.decodeNameUser(r);
        Account me = s.account;
        Group g = visible(s, correlation, q.group());
        if (g == null) {
            return;
        }
        int mine = g.role(me);
        if (!GroupCodes.mayManage(mine)) {
            replies.error(s, correlation, RegistryErrors.NOT_GROUP_ADMIN, "only the owner or an admin of #" + g.name + " may kick");
            return;
        }
        Account t = target(s, correlation, g, q.user());
        if (t == null) {
            return;
        }
        if (GroupCodes.mayManage(g.role(t)) && mine != GroupCodes.ROLE_OWNER) {
            replies.error(s, correlation, RegistryErrors.NOT_GROUP_ADMIN, "only the owner may remove an admin");
            return;
        }
        change(s, correlation, RegistryOpcodes.GROUP_KICK, g, t, GroupCodes.ROLE_NONE, GroupCodes.CHANGE_KICKED);
    }

    void role(Session s, int correlation, BodyReader r) {
        GroupRequest q = GroupRequest.decodeRole(r);
        Account me = s.account;
        Group g = visible(s, correlation, q.group());
        if (g == null) {
            return;
        }
        if (g.role(me) != GroupCodes.ROLE_OWNER) {
            replies.error(s, correlation, RegistryErrors.NOT_GROUP_ADMIN, "only the owner of #" + g.name + " may change roles");
            return;
        }
        Account t = target(s, correlation, g, q.user());
        if (t == null) {
            return;
        }
        if (!GroupCodes.isMember(g.role(t))) {
            replies.error(s, correlation, RegistryErrors.NOT_IN_GROUP, t.name + " has not joined #" + g.name);
            return;
        }
        change(s, correlation, RegistryOpcodes.GROUP_ROLE, g, t, q.code(), GroupCodes.CHANGE_ROLE);
    }

    /** A user named by a member: someone in the group (member or invitee) other than the caller. */
    private Account target(Session s, int correlation, Group g, String name) {
        Account t = registry.account(name);
        if (t == s.account) {
            replies.error(s, correlation, RegistryErrors.CANNOT_TARGET_SELF, "you cannot do that to yourself");
            return null;
        }
        if (t == null || g.role(t) == GroupCodes.ROLE_NONE) {
            replies.error(s, correlation, RegistryErrors.NOT_IN_GROUP, name + " is not in #" + g.name);
            return null;
        }
        return t;
    }

    /**
     * Writes one account's new role, then applies it, answers, and tells members and the subject.
     * A removal (kick, leave, decline) narrows who may know the group: in a cluster it is answered
     * only once every node applied it (ClusterGroups#publishedFenced), as a block is.
     */
    private void change(Session s, int correlation, int opcode, Group g, Account subject, int role, int kind) {
        GroupChange c = GroupChange.one(g.id, g.nextVersion(), subject.id, role, now());
        store.groupChange(c, replies.committed(s, correlation, () -> {
            g.version = c.version();
            directory.setRole(g, subject, role);
            boolean removal = role == GroupCodes.ROLE_NONE;
            boolean waits = removal && nodes.fenced();
            if (!waits) {
                replies.ok(s, opcode, correlation);
            }
            notices.changed(g, kind, subject, role, removal ? subject : null);
            Account[] who = {subject};
            int[] roles = {role};
            if (waits) {
                nodes.publishedFenced(g, ClusterGroups.CHANGED, who, roles, ok(s, opcode, correlation),
                        () -> replies.busUnavailable(s, correlation));
            } else {
                nodes.published(g, ClusterGroups.CHANGED, who, roles);
            }
        }));
    }

    private Runnable ok(Session s, int opcode, int correlation) {
        return () -> replies.ok(s, opcode, correlation);
    }

    /** Answers OK now when no fence waits (alone, per-node stores); else returns the OK the fence sends. */
    private Runnable answerNowOrFenced(Session s, int opcode, int correlation) {
        if (nodes.fenced()) {
            return ok(s, opcode, correlation);
        }
        replies.ok(s, opcode, correlation);
        return () -> { };
    }

    void members(Session s, int correlation, BodyReader r) {
        String name = GroupRequest.decodeName(r).group();
        Account me = s.account;
        Group g = visible(s, correlation, name);
        if (g == null) {
            return;
        }
        BodyWriter w = replies.begin(s.link);
        GroupMembers.writeHead(w, g.id, g.version, g.size());
        for (Map.Entry<Account, Integer> e : g.entries()) {
            Account a = e.getKey();
            GroupMembers.writeMember(w, a.name, Presence.presenceFor(me, a), presence.lastSeenFor(me, a), e.getValue());
        }
        replies.respond(s.link, MessageClass.COMMAND, RegistryOpcodes.GROUP_MEMBERS, correlation);
    }

    void list(Session s, int correlation, BodyReader r) {
        Empty.decode(r);
        Account me = s.account;
        List<Group> mine = directory.of(me);
        BodyWriter w = replies.begin(s.link);
        GroupEntry.writeCount(w, mine.size());
        for (Group g : mine) {
            GroupEntry.write(w, g.id, g.name, g.role(me), g.version);
        }
        replies.respond(s.link, MessageClass.COMMAND, RegistryOpcodes.GROUPS, correlation);
    }
}
