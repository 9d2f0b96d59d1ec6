package parley.server.registry;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import parley.server.policy.Visibility;
import parley.server.protocol.AnnounceEndpoint;
import parley.server.protocol.ContactsReply;
import parley.server.protocol.GroupMembers;
import parley.server.protocol.MailDeposit;
import parley.server.protocol.NameBody;
import parley.server.protocol.Candidate;
import parley.server.protocol.PeerAnswer;
import parley.server.protocol.PeerAnswerReply;
import parley.server.protocol.PeerConnect;
import parley.server.protocol.PeerIntroduction;
import parley.server.protocol.PresenceState;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.SearchRequest;
import parley.server.protocol.SetVisibility;
import parley.server.protocol.UserEntry;
import parley.server.protocol.UserList;
import parley.server.registry.HarnessClient.Answer;
import parley.server.registry.HarnessClient.Frame;
import parley.server.registry.VisibilityMatrixTest.Relation;

import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link VisibilityMatrixTest}'s matrix on the in-memory {@link Harness}: every viewer relation,
 * target visibility and online state, through WHO, SEARCH, CONTACTS, PRESENCE pushes,
 * LOOKUP_ENDPOINT, PEER_CONNECT, CONTACT_REQUEST and MAIL_DEPOSIT, with the same expectations, in
 * milliseconds; here also the candidate disclosure and the relay allocation that follow a
 * PEER_CONNECT (7.8).
 * The real-socket class stays, so the rules are also seen through the wire.
 */
class HarnessVisibilityMatrixTest {
    static Harness h;
    static int seq;
    static String offlineAnswerShape;

    @BeforeAll
    static void start() {
        h = new Harness();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static String anonymous(Answer a, String name) {
        return a.error() + ":" + (a.reason() == null ? "" : a.reason().replace(name, "<target>"));
    }

    static Answer named(HarnessClient c, int opcode, String name) {
        return c.call(opcode, new NameBody(name)::encode);
    }

    static List<String> names(Answer a) {
        return UserList.decode(a.body()).users().stream().map(UserEntry::name).collect(Collectors.toList());
    }

    static void makeContacts(HarnessClient a, String aName, HarnessClient b, String bName) {
        assertThat(named(a, RegistryOpcodes.CONTACT_REQUEST, bName).ok()).isTrue();
        assertThat(named(b, RegistryOpcodes.CONTACT_ACCEPT, aName).ok()).isTrue();
    }

    @ParameterizedTest(name = "{0} viewing a target with visibility {1}, online={2} -> visible={3}")
    @MethodSource("parley.server.registry.VisibilityMatrixTest#matrix")
    void enforcedOnEveryPath(Relation rel, Visibility visibility, boolean online, boolean visible) {
        int n = ++seq;
        String viewerName = "viewer" + n;
        String targetName = "target" + n;
        HarnessClient viewer = h.user(viewerName);
        HarnessClient target = h.user(targetName);
        if (rel == Relation.CONTACT) {
            makeContacts(viewer, viewerName, target, targetName);
        }
        if (rel == Relation.BLOCKED_BY_TARGET) {
            assertThat(named(target, RegistryOpcodes.BLOCK, viewerName).ok()).isTrue();
        }
        assertThat(viewer.call(RegistryOpcodes.ANNOUNCE_ENDPOINT, new AnnounceEndpoint("127.0.0.1", 4001)::encode).ok()).isTrue();
        assertThat(target.call(RegistryOpcodes.SET_VISIBILITY, new SetVisibility(visibility.code())::encode).ok()).isTrue();
        assertThat(target.call(RegistryOpcodes.LOGOUT).ok()).isTrue();
        viewer.pushes.clear();
        if (online) {
            target.login(targetName);
            assertThat(target.call(RegistryOpcodes.ANNOUNCE_ENDPOINT, new AnnounceEndpoint("127.0.0.1", 4000)::encode).ok()).isTrue();
        }

        assertThat(names(viewer.call(RegistryOpcodes.WHO)).contains(targetName)).as("WHO lists target").isEqualTo(visible);

        boolean pushed = false;
        for (Frame p; (p = viewer.pushes.poll()) != null; ) {
            if (p.opcode() == RegistryOpcodes.PRESENCE) {
                UserEntry e = UserEntry.decode(p.reader());
                pushed |= e.name().equals(targetName) && e.presence() != PresenceState.OFFLINE;
            }
        }
        assertThat(pushed).as("online PRESENCE pushed").isEqualTo(visible && rel == Relation.CONTACT);

        List<UserEntry> found = UserList.decode(viewer.call(RegistryOpcodes.SEARCH, new SearchRequest(targetName)::encode).body()).users();
        assertThat(found.stream().anyMatch(e -> e.name().equals(targetName))).as("SEARCH finds target")
                .isEqualTo(rel != Relation.BLOCKED_BY_TARGET);
        if (!found.isEmpty()) {
            boolean canSee = rel != Relation.BLOCKED_BY_TARGET
                    && (visibility == Visibility.EVERYONE || visibility == Visibility.CONTACTS && rel == Relation.CONTACT);
            assertThat(found.get(0).presence() != PresenceState.OFFLINE).as("SEARCH shows presence").isEqualTo(visible);
            assertThat(found.get(0).lastSeenMillis() != 0).as("SEARCH shows last seen").isEqualTo(canSee);
        }

        if (rel == Relation.CONTACT) {
            ContactsReply cl = ContactsReply.decode(viewer.call(RegistryOpcodes.CONTACTS).body());
            assertThat(cl.contacts()).extracting(UserEntry::name).containsExactly(targetName);
            assertThat(cl.contacts().get(0).presence() != PresenceState.OFFLINE).isEqualTo(visible);
        }

        Answer lookup = named(viewer, RegistryOpcodes.LOOKUP_ENDPOINT, targetName);
        target.pushes.clear();
        int relayedBefore = h.rules.relays.live();
        Answer connect = viewer.call(RegistryOpcodes.PEER_CONNECT,
                new PeerConnect(targetName, 1L, new byte[32], 0, List.of(LAN_CANDIDATE, PUBLIC_CANDIDATE))::encode);
        Answer ghostLookup = named(viewer, RegistryOpcodes.LOOKUP_ENDPOINT, "ghost" + n);
        if (visible) {
            assertThat(lookup.ok()).isTrue();
            assertThat(connect.ok()).isTrue();
            // The candidates reach the target filtered (the unconfirmed public one is dropped),
            // and an accept gets the pair a relayed session.
            PeerIntroduction invite = PeerIntroduction.decodeInvite(onlyPush(target, RegistryOpcodes.PEER_INVITE).reader());
            assertThat(invite.candidates()).containsExactly(LAN_CANDIDATE);
            Answer accepted = target.call(RegistryOpcodes.PEER_ANSWER,
                    new PeerAnswer(invite.inviteId(), PeerAnswer.ACCEPT, 2L, new byte[32])::encode);
            assertThat(PeerAnswerReply.decode(accepted.body()).relay()).as("the answerer's relay grant").isNotNull();
            assertThat(PeerIntroduction.decodeReady(onlyPush(viewer, RegistryOpcodes.PEER_READY).reader()).relay())
                    .as("the requester's relay grant").isNotNull();
            assertThat(h.rules.relays.live()).isEqualTo(relayedBefore + 1);
        } else {
            assertThat(target.pushes).extracting(Frame::opcode).as("no invite, so no candidates")
                    .doesNotContain(RegistryOpcodes.PEER_INVITE);
            assertThat(h.rules.relays.live()).as("no relayed session").isEqualTo(relayedBefore);
        }
        if (visible) {
            // nothing more: the answers were checked above
        } else if (rel == Relation.BLOCKED_BY_TARGET) {
            assertThat(anonymous(lookup, targetName)).isEqualTo(anonymous(ghostLookup, "ghost" + n));
            assertThat(connect.error()).isEqualTo(RegistryErrors.NO_SUCH_USER);
        } else {
            assertThat(lookup.error()).isEqualTo(RegistryErrors.PEER_UNAVAILABLE);
            assertThat(connect.error()).isEqualTo(RegistryErrors.PEER_UNAVAILABLE);
            String shape = anonymous(lookup, targetName) + "|" + anonymous(connect, targetName);
            if (offlineAnswerShape == null) {
                offlineAnswerShape = shape;
            }
            assertThat(shape).as("hidden and offline answer alike").isEqualTo(offlineAnswerShape);
        }

        // The mailbox: only a contact may deposit, whatever the target's visibility or presence;
        // a stranger and a blocked sender get exactly what a name nobody owns gets.
        Answer mail = viewer.call(RegistryOpcodes.MAIL_DEPOSIT, new MailDeposit(targetName, n, new byte[] {1, 2, 3})::encode);
        Answer ghostMail = viewer.call(RegistryOpcodes.MAIL_DEPOSIT, new MailDeposit("ghost" + n, n, new byte[] {1, 2, 3})::encode);
        if (rel == Relation.CONTACT) {
            assertThat(mail.ok()).as("a contact's deposit: %s", mail).isTrue();
        } else {
            assertThat(anonymous(mail, targetName)).as("deposit by a %s", rel).isEqualTo(anonymous(ghostMail, "ghost" + n));
            assertThat(mail.error()).isEqualTo(RegistryErrors.NO_SUCH_USER);
        }

        if (rel != Relation.CONTACT) {
            Answer req = named(viewer, RegistryOpcodes.CONTACT_REQUEST, targetName);
            Answer ghost = named(viewer, RegistryOpcodes.CONTACT_REQUEST, "ghost" + n);
            if (rel == Relation.BLOCKED_BY_TARGET) {
                assertThat(anonymous(req, targetName)).isEqualTo(anonymous(ghost, "ghost" + n));
            } else {
                assertThat(req.ok()).isTrue();
            }
        }
        groups(viewer, viewerName, target, targetName, rel, online, visible, n);
        viewer.disconnect();
        target.disconnect();
        assertThat(h.rules.relays.live()).as("the relayed session ended with the registry sessions").isEqualTo(relayedBefore);
    }

    /**
     * Groups (7.12): only a contact can be invited (a stranger and one who blocked the inviter
     * read as a name nobody owns); a group one is not invited to reads as one that does not
     * exist; a member's presence in GROUP_MEMBERS is what the registry shows the viewer anywhere.
     */
    private static void groups(HarnessClient viewer, String viewerName, HarnessClient target, String targetName,
                               Relation rel, boolean online, boolean visible, int n) {
        String g = "grp" + n;
        assertThat(GroupCalls.create(viewer, g).ok()).isTrue();
        Answer invite = GroupCalls.invite(viewer, g, targetName);
        Answer ghost = GroupCalls.invite(viewer, g, "ghost" + n);
        if (rel == Relation.CONTACT) {
            assertThat(invite.ok()).as("inviting a contact: %s", invite).isTrue();
        } else {
            assertThat(anonymous(invite, targetName)).as("inviting a %s", rel).isEqualTo(anonymous(ghost, "ghost" + n));
        }
        if (!online) {
            return;
        }
        Answer members = GroupCalls.members(target, g);
        Answer none = GroupCalls.members(target, "nogrp" + n);
        if (rel != Relation.CONTACT) {
            assertThat(anonymous(members, g)).as("a group one is not in").isEqualTo(anonymous(none, "nogrp" + n));
            assertThat(members.error()).isEqualTo(RegistryErrors.NO_SUCH_GROUP);
            return;
        }
        assertThat(members.ok()).as("an invitee sees the group").isTrue();
        assertThat(GroupCalls.answer(target, g, true).ok()).isTrue();
        GroupMembers list = GroupMembers.decode(GroupCalls.members(viewer, g).body());
        UserEntry seen = list.members().stream().map(GroupMembers.Member::user).filter(u -> u.name().equals(targetName))
                .findFirst().orElseThrow();
        assertThat(seen.presence() != PresenceState.OFFLINE).as("a member's presence in the group").isEqualTo(visible);
    }

    static final Candidate LAN_CANDIDATE = new Candidate(new byte[] {10, 1, 2, 3}, 4001);
    static final Candidate PUBLIC_CANDIDATE = new Candidate(new byte[] {(byte) 198, 51, 100, 7}, 4001);

    static Frame onlyPush(HarnessClient c, int opcode) {
        List<Frame> found = c.pushes.stream().filter(f -> f.opcode() == opcode).collect(Collectors.toList());
        assertThat(found).as("pushes of 0x%02x", opcode).hasSize(1);
        return found.get(0);
    }
}
