package parley.peer.e2e;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14's privacy promises inside a group, end to end (a real registry and peers on loopback):
 * a blocked member's messages are not shown to the blocker, who is told how many were hidden,
 * while the others still see them; a member who hides shows as offline in {@code /group members},
 * word for word like one who is offline (the registry's one privacy decision, Presence); and a
 * user invited while offline learns of the invitation at login.
 */
class GroupPrivacyTest extends PeerFixture {
    @SuppressWarnings("unchecked")
    private static Map<String, String> states(TestPeer p) {
        p.mark();
        p.cmd("/group members #ops");
        List<Map<String, Object>> rows = (List<Map<String, Object>>) p.await("group_members").get("members");
        Map<String, String> out = new java.util.TreeMap<>();
        for (Map<String, Object> r : rows) {
            out.put((String) r.get("user"), (String) r.get("state"));
        }
        return out;
    }

    @Test
    void aBlockedMembersMessagesAreHiddenFromTheBlockerWhoIsToldHowManyAndOthersStillSeeThem() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        TestPeer carol = peer("carol").signUp();
        GroupChatTest.friends(amy, bob, carol);
        GroupChatTest.group(amy, bob, carol);
        bob.await(e -> e.type().equals("group") && "member_joined".equals(e.get("change")) && "carol".equals(e.get("user")));
        for (int i = 0; i < 2; i++) {
            bob.cmd("/msg #ops before-block-" + i);
            amy.await("message", "text", "before-block-" + i);
            carol.await("message", "text", "before-block-" + i);
        }
        amy.cmd("/block bob");
        amy.await("contact", "change", "blocked");
        amy.mark();
        bob.mark();
        bob.cmd("/msg #ops after-block");
        Seen sent = bob.await("sending", "text", "after-block");
        carol.await("message", "text", "after-block");
        // To bob, amy now reads as a member who is offline: his copy to her is queued, never delivered.
        bob.await(e -> e.type().equals("queued") && "amy".equals(e.get("to")) && sent.get("id").equals(e.get("id")));
        assertThat(bob.seen("delivered")).noneMatch(e -> "amy".equals(e.get("to")) && sent.get("id").equals(e.get("id")));
        assertThat(bob.seen("failed")).noneMatch(e -> "amy".equals(e.get("to")));
        carol.cmd("/msg #ops from-carol");
        amy.await("message", "text", "from-carol");
        bob.await("message", "text", "from-carol");
        assertThat(amy.seen("message")).extracting(e -> e.get("from")).containsOnly("carol");

        amy.mark();
        amy.cmd("/history #ops 1000");
        Seen h = amy.await("group_history");
        assertThat(GroupChatTest.lines(h)).containsExactly("carol: from-carol");
        assertThat(h.get("hidden")).as("bob's messages amy holds but no longer shows").isEqualTo(2L);
        assertThat(GroupChatTest.history(carol))
                .containsExactly("bob: before-block-0", "bob: before-block-1", "bob: after-block", "carol: from-carol");
        // Unblocked, amy sees the messages she holds again.
        amy.cmd("/unblock bob");
        amy.await("contact", "change", "unblocked");
        amy.mark();
        amy.cmd("/history #ops 1000");
        Seen again = amy.await("group_history");
        assertThat(GroupChatTest.lines(again)).containsExactly("bob: before-block-0", "bob: before-block-1", "carol: from-carol");
        assertThat(again.get("hidden")).isEqualTo(0L);
    }

    @Test
    void aMemberWhoHidesShowsAsOfflineInTheGroupExactlyLikeOneWhoIsOffline() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        TestPeer carol = peer("carol").signUp();
        GroupChatTest.friends(amy, bob, carol);
        GroupChatTest.group(amy, bob, carol);
        assertThat(states(amy)).containsEntry("bob", "online").containsEntry("carol", "online");

        bob.cmd("/visibility nobody");
        bob.await("visibility", "level", "nobody");
        carol.session.quit(10, TimeUnit.SECONDS);
        amy.await(e -> e.type().equals("presence") && "carol".equals(e.get("user")) && "offline".equals(e.get("state")));
        Map<String, String> seen = states(amy);
        assertThat(seen.get("bob")).isEqualTo("offline").isEqualTo(seen.get("carol"));
        assertThat(seen).containsEntry("amy", "online");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) amy.seen("group_members").get(0).get("members");
        Map<String, Object> hidden = rows.stream().filter(r -> "bob".equals(r.get("user"))).findFirst().orElseThrow();
        Map<String, Object> offline = rows.stream().filter(r -> "carol".equals(r.get("user"))).findFirst().orElseThrow();
        assertThat(hidden.keySet()).isEqualTo(offline.keySet());
        assertThat(hidden.get("role")).isEqualTo(offline.get("role"));

        bob.cmd("/visibility contacts");
        bob.await("visibility", "level", "contacts");
        assertThat(states(amy)).containsEntry("bob", "online");
    }

    @Test
    void aUserInvitedWhileOfflineLearnsOfTheInvitationAtLogin() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        GroupChatTest.friends(amy, bob);
        bob.session.quit(10, TimeUnit.SECONDS);
        amy.await(e -> e.type().equals("presence") && "bob".equals(e.get("user")) && "offline".equals(e.get("state")));
        amy.cmd("/group create #ops");
        amy.await("group", "change", "created");
        amy.cmd("/group invite #ops bob");
        amy.await(e -> e.type().equals("group") && "member_invited".equals(e.get("change")) && "bob".equals(e.get("user")));

        TestPeer bob2 = peer("bob").logIn();
        Seen invite = bob2.await("group_invite", "group", "ops");
        assertThat(invite.get("from")).as("GROUPS does not say who invited").isNull();
        bob2.cmd("/groups");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) bob2.await("groups").get("groups");
        assertThat(rows).anySatisfy(r -> {
            assertThat(r.get("group")).isEqualTo("ops");
            assertThat(r.get("role")).isEqualTo("invitee");
        });
        bob2.cmd("/accept #ops");
        bob2.await("group", "change", "joined");
        amy.await(e -> e.type().equals("group") && "member_joined".equals(e.get("change")) && "bob".equals(e.get("user")));
        amy.cmd("/msg #ops welcome");
        bob2.await("message", "text", "welcome");
        // Answered: the next login tells of no invitation.
        bob2.session.quit(10, TimeUnit.SECONDS);
        TestPeer bob3 = peer("bob").logIn();
        bob3.cmd("/groups");
        bob3.await("groups");
        assertThat(bob3.seen("group_invite")).isEmpty();
    }

    /** What {@code p} saw about {@code user} since its mark: each event's type and fields, the user's name and ids left out. */
    private static List<String> viewOf(TestPeer p, String user) {
        List<String> out = new java.util.ArrayList<>();
        for (String type : List.of("presence", "session_closed", "queued", "delivered", "failed", "contact", "error", "info")) {
            for (Seen e : p.seen(type)) {
                if (user.equals(e.get("user")) || user.equals(e.get("to"))) {
                    Map<String, Object> f = new java.util.TreeMap<>(e.fields());
                    f.keySet().removeAll(List.of("user", "to", "id", "last_seen", "event"));
                    out.add(type + " " + f);
                }
            }
        }
        return out;
    }

    /**
     * To a sender, a member who blocked it is indistinguishable from a member who is offline
     * (issue 14; the registry's one decision, Presence; PROTOCOL.md 7.12, 9.3.2): the same events
     * in the same order (presence offline, the session ended "closed by peer", the group copy
     * queued and never confirmed), and the same row in /group members. Before, the copy to the
     * blocker failed (the registry refused it as for a nonexistent user) while /group members
     * still listed her, which told the block.
     */
    @Test
    void toTheSenderAMemberWhoBlockedItLooksExactlyLikeAMemberWhoIsOffline() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        TestPeer carol = peer("carol").signUp();
        TestPeer dave = peer("dave").signUp();
        GroupChatTest.friends(amy, bob, carol, dave);
        for (TestPeer to : List.of(amy, dave)) { // open sessions: the copies would go over them
            bob.cmd("/msg " + to.name + " hi");
            bob.await("delivered", "to", to.name);
        }
        GroupChatTest.group(carol, amy, bob, dave);
        bob.mark();
        dave.session.quit(10, TimeUnit.SECONDS);
        amy.cmd("/block bob");
        amy.await("contact", "change", "blocked");
        for (String u : List.of("amy", "dave")) {
            bob.await(e -> e.type().equals("presence") && u.equals(e.get("user")) && "offline".equals(e.get("state")));
            bob.await(e -> e.type().equals("session_closed") && u.equals(e.get("user")));
        }
        bob.cmd("/msg #ops hello");
        Seen sent = bob.await("sending", "text", "hello");
        assertThat(sent.get("members")).isEqualTo(3L);
        carol.await("message", "text", "hello");
        for (String u : List.of("amy", "dave", "carol")) {
            bob.await(e -> ("queued".equals(e.type()) || "delivered".equals(e.type())) && u.equals(e.get("to"))
                    && sent.get("id").equals(e.get("id")));
        }
        bob.await(e -> e.type().equals("delivered") && "carol".equals(e.get("to")) && sent.get("id").equals(e.get("id")));
        assertThat(viewOf(bob, "amy")).as("bob's view of amy (blocked him) against dave (offline)")
                .isNotEmpty().isEqualTo(viewOf(bob, "dave"));
        Map<String, String> members = states(bob);
        assertThat(members.get("amy")).isEqualTo("offline").isEqualTo(members.get("dave"));
        assertThat(amy.jsonLines()).noneMatch(l -> l.contains("hello"));
    }
}
