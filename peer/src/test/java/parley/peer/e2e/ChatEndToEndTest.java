package parley.peer.e2e;

import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

class ChatEndToEndTest extends PeerFixture {
    @Test
    void registerLoginBecomeContactsAndChatBothWaysWithDeliveryConfirmations() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();

        amy.cmd("/add bob");
        amy.await("contact", "change", "requested");
        bob.await("contact_request", "from", "amy");
        bob.cmd("/accept amy");
        bob.await("contact", "change", "accepted");
        amy.await("contact", "user", "bob");

        amy.cmd("/msg bob hello bob");
        Seen sending = amy.await("sending");
        assertThat(sending.get("to")).isEqualTo("bob");
        // A contact's session opens without a second consent (issue 12): no prompt, the message arrives.
        Seen got = bob.await("message", "text", "hello bob");
        assertThat(got.get("from")).isEqualTo("amy");
        assertThat(got.get("id")).isEqualTo(sending.get("id"));
        amy.await("delivered", "id", sending.get("id"));

        bob.cmd("/chat amy");
        bob.cmd("hi amy, plain text goes to my partner");
        Seen back = bob.await("sending");
        amy.await("message", "text", "hi amy, plain text goes to my partner");
        bob.await("delivered", "id", back.get("id"));

        String amyPrint = amy.await("session_open").string("fingerprint");
        String bobPrint = bob.await("session_open").string("fingerprint");
        assertThat(amyPrint).isEqualTo(bobPrint);
        amy.cmd("/verify bob");
        assertThat(amy.await("verify").string("fingerprint")).isEqualTo(amyPrint);

        amy.cmd("/stats");
        Seen stats = amy.await("stats");
        assertThat(stats.toString()).contains("\"user\":\"bob\"");
        assertThat(amy.jsonLines()).allSatisfy(l -> assertThat(l).startsWith("{\"event\":\""));
    }
}
