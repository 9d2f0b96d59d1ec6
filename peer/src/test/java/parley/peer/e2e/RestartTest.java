package parley.peer.e2e;

import org.junit.jupiter.api.Test;
import parley.peer.core.PeerConfig;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RestartTest extends PeerFixture {
    @Test
    @SuppressWarnings("unchecked")
    void historySurvivesARestartAndMessagesPendingAtExitAreReportedFailed() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        PeerConfig confirm = config("carol");
        confirm.autoAcceptContacts = false; // --confirm-sessions: carol is asked, and never answers
        TestPeer carol = peer(confirm).signUp();
        DeliveryTest.openChat(amy, bob);
        bob.cmd("/msg amy hi amy");
        amy.await("message", "text", "hi amy");
        bob.await("delivered");

        DeliveryTest.befriend(amy, carol);
        // carol never answers the chat request: the message is still "sending" when amy quits.
        amy.cmd("/msg carol are you there");
        Object pendingId = amy.await("sending", "text", "are you there").get("id");
        carol.await("session_request");
        amy.session.quit(10, java.util.concurrent.TimeUnit.SECONDS);

        TestPeer again = peer("amy").logIn();
        Seen failed = again.await("failed", "id", pendingId);
        assertThat(failed.string("reason")).contains("not delivered before the client stopped");
        again.cmd("/history bob");
        List<Map<String, Object>> h = (List<Map<String, Object>>) again.await("history").get("messages");
        assertThat(h).extracting(f -> f.get("text")).containsExactly("hello bob", "hi amy");
        assertThat(h).extracting(f -> f.get("state")).containsExactly("delivered", "received");
        assertThat(h).extracting(f -> f.get("from")).containsExactly("amy", "bob");
        again.cmd("/history carol 5");
        List<Map<String, Object>> c = (List<Map<String, Object>>) again.await("history", "user", "carol").get("messages");
        assertThat(c).extracting(f -> f.get("state")).containsExactly("failed");
    }

    @Test
    void theChatGoesOnWhileTheRegistryRestartsAndPeersLogInAgain() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        DeliveryTest.openChat(amy, bob);

        amy.mark();
        bob.mark();
        registry.stop();
        amy.await("connection", "state", "lost");
        bob.await("connection", "state", "lost");

        amy.cmd("/msg bob still here?");
        Object id = amy.await("sending", "text", "still here?").get("id");
        bob.await("message", "text", "still here?");
        amy.await("delivered", "id", id);
        bob.cmd("/msg amy yes, over UDP");
        amy.await("message", "text", "yes, over UDP");
        amy.cmd("/who");
        assertThat(amy.await("error").get("code")).isEqualTo("CONNECTION_LOST");

        registry.restart();
        amy.await(e -> e.type().equals("logged_in") && Boolean.TRUE.equals(e.get("relogin")));
        bob.await(e -> e.type().equals("logged_in") && Boolean.TRUE.equals(e.get("relogin")));
        amy.mark();
        amy.cmd("/contacts");
        Seen contacts = amy.await("contacts");
        assertThat(contacts.toString()).contains("\"user\":\"bob\"");
        amy.cmd("/msg bob the registry is back");
        bob.await("message", "text", "the registry is back");
    }
}
