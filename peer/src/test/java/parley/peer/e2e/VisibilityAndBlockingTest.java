package parley.peer.e2e;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Privacy as a peer sees it: an invisible user looks exactly like an offline one, and a user who
 * blocked you looks exactly like one who does not exist.
 */
class VisibilityAndBlockingTest extends PeerFixture {
    @SuppressWarnings("unchecked")
    private static List<String> names(Seen who) {
        return ((List<Map<String, Object>>) who.get("users")).stream().map(f -> (String) f.get("user")).toList();
    }

    @Test
    void visibilityLevelsDecideWhoAppearsInWhoAndWhoCanBeReached() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        TestPeer carol = peer("carol").signUp();
        TestPeer dave = peer("dave").signUp();
        dave.cmd("/logout");
        dave.await("logged_out");

        amy.cmd("/visibility everyone");
        amy.await("visibility", "level", "everyone");
        bob.mark();
        bob.cmd("/who");
        assertThat(names(bob.await("who"))).contains("amy").doesNotContain("carol", "dave"); // carol: contacts only

        amy.cmd("/visibility nobody");
        amy.await("visibility", "level", "nobody");
        bob.mark();
        bob.cmd("/who");
        assertThat(names(bob.await("who"))).doesNotContain("amy");

        // Invisible amy and offline dave fail the same way, word for word but the name.
        bob.cmd("/msg amy are you there");
        String hidden = bob.await(e -> e.type().equals("failed") && "amy".equals(e.get("to"))).string("reason");
        bob.cmd("/msg dave are you there");
        String offline = bob.await(e -> e.type().equals("failed") && "dave".equals(e.get("to"))).string("reason");
        assertThat(hidden.replace("amy", "X")).isEqualTo(offline.replace("dave", "X"));
        assertThat(hidden).contains("offline or not visible");
        assertThat(carol.seen("session_request")).isEmpty();
    }

    @Test
    void aUserWhoBlockedYouLooksLikeOneWhoDoesNotExist() throws Exception {
        TestPeer bob = peer("bob").signUp();
        TestPeer carol = peer("carol").signUp();
        carol.cmd("/visibility everyone");
        carol.await("visibility");
        carol.cmd("/block bob");
        carol.await("contact", "change", "blocked");

        bob.cmd("/add carol");
        Seen blocked = bob.await("error");
        bob.mark();
        bob.cmd("/add nosuchuser");
        Seen missing = bob.await("error");
        assertThat(blocked.get("code")).isEqualTo("NO_SUCH_USER").isEqualTo(missing.get("code"));
        assertThat(blocked.string("message").replace("carol", "X")).isEqualTo(missing.string("message").replace("nosuchuser", "X"));

        bob.cmd("/who");
        assertThat(names(bob.await("who"))).doesNotContain("carol");

        bob.cmd("/msg carol hello");
        String toBlocker = bob.await(e -> e.type().equals("failed") && "carol".equals(e.get("to"))).string("reason");
        bob.cmd("/msg nosuchuser hello");
        String toNobody = bob.await(e -> e.type().equals("failed") && "nosuchuser".equals(e.get("to"))).string("reason");
        assertThat(toBlocker.replace("carol", "X")).isEqualTo(toNobody.replace("nosuchuser", "X"));
        assertThat(carol.seen("session_request")).isEmpty();

        carol.cmd("/unblock bob");
        carol.await("contact", "change", "unblocked");
        bob.mark(); // carol is visible to everyone again, so bob can reach her
        bob.cmd("/msg carol hello again");
        carol.await("session_request", "from", "bob");
    }
}
