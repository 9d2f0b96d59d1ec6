package parley.peer.group;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The membership a sender fans out to (PROTOCOL.md 9.3.2), as registry pushes change it. */
class GroupRosterTest {
    private static GroupRoster roster() {
        GroupRoster r = new GroupRoster("alice");
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("alice", 1);
        m.put("bob", 3);
        m.put("carol", 3);
        m.put("dave", 4);
        r.reset(5, m);
        return r;
    }

    @Test
    void recipientsAreTheJoinedMembersButNotOneselfNorInvitees() {
        assertThat(roster().recipients()).containsExactly("bob", "carol");
    }

    @Test
    void aKickedMemberIsNoLongerARecipientAndAQueuedCopyIsDropped() {
        GroupRoster r = roster();
        // A message was queued for carol before the kick; the sender asks again before it leaves.
        assertThat(r.isMember("carol")).isTrue();
        assertThat(r.apply(6, "carol", GroupRoster.ROLE_NONE)).isEqualTo(GroupRoster.Applied.APPLIED);
        assertThat(r.isMember("carol")).as("the queued copy is not sent").isFalse();
        assertThat(r.recipients()).containsExactly("bob");
    }

    @Test
    void stalePushesAreIgnoredAndASkippedVersionAsksForARefresh() {
        GroupRoster r = roster();
        assertThat(r.apply(5, "carol", GroupRoster.ROLE_NONE)).isEqualTo(GroupRoster.Applied.STALE);
        assertThat(r.recipients()).containsExactly("bob", "carol");
        assertThat(r.apply(8, "dave", 3)).isEqualTo(GroupRoster.Applied.REFRESH);
        assertThat(r.version()).isEqualTo(8);
        assertThat(r.recipients()).containsExactly("bob", "carol", "dave");
    }
}
