package parley.peer.e2e;

import org.junit.jupiter.api.Test;
import parley.peer.core.PeerConfig;

import static org.assertj.core.api.Assertions.assertThat;

/** How chat sessions come to be, on real sockets: crossed requests (glare) and answering a request. */
class SessionSetupTest extends PeerFixture {
    private PeerConfig autoAccept(String name) {
        PeerConfig c = config(name);
        c.autoAcceptContacts = true;
        return c;
    }

    /** Issue 10 defect 1: both send the first message at once; both must arrive on one shared session. */
    @Test
    void crossedFirstMessagesEndInOneSessionAndBothAreDelivered() throws Exception {
        TestPeer amy = peer(autoAccept("amy")).signUp();
        TestPeer bob = peer(autoAccept("bob")).signUp();
        DeliveryTest.befriend(amy, bob);
        amy.mark();
        bob.mark();

        amy.cmd("/msg bob from amy");
        bob.cmd("/msg amy from bob");

        Object amyId = amy.await("sending").get("id");
        Object bobId = bob.await("sending").get("id");
        bob.await("message", "text", "from amy");
        amy.await("message", "text", "from bob");
        amy.await("delivered", "id", amyId);
        bob.await("delivered", "id", bobId);
        String amyPrint = amy.await("session_open").string("fingerprint");
        String bobPrint = bob.await("session_open").string("fingerprint");
        assertThat(amyPrint).isEqualTo(bobPrint);

        // The one session carries on both ways.
        amy.cmd("/msg bob again");
        bob.await("message", "text", "again");
        bob.cmd("/msg amy back");
        amy.await("message", "text", "back");
        assertThat(amy.seen("session_open")).hasSize(1);
        assertThat(bob.seen("session_open")).hasSize(1);
        assertThat(amy.seen("failed")).isEmpty();
        assertThat(bob.seen("failed")).isEmpty();
    }

    /** Issue 10: /accept for a pending chat request gives one outcome, not also NO_PENDING_REQUEST. */
    @Test
    void acceptingAChatRequestFromAContactGivesNoContactError() throws Exception {
        TestPeer amy = peer("amy").signUp();
        parley.peer.core.PeerConfig confirm = config("bob");
        confirm.autoAcceptContacts = false; // --confirm-sessions: the /accept this test is about
        TestPeer bob = peer(confirm).signUp();
        // Crossed contact requests: bob asking back is an accept on the registry.
        amy.cmd("/add bob");
        bob.await("contact_request", "from", "amy");
        bob.cmd("/add amy");
        bob.await("contact", "user", "amy");
        amy.await(e -> e.type().equals("contact") && "accepted".equals(e.get("change")));

        amy.cmd("/msg bob hi");
        bob.await("session_request", "from", "amy");
        bob.mark();
        bob.cmd("/accept amy");
        bob.await("message", "text", "hi");
        // The registry answers in order: a CONTACT_ACCEPT error would come before the contact list.
        bob.cmd("/contacts");
        bob.await("contacts");
        assertThat(bob.seen("error")).isEmpty();
    }

    /** Issue 10: a user may send 16 KiB (16,384 bytes) of text, as documented; one byte more is refused. */
    @Test
    void sixteenKibOfTextIsSentAndOneByteMoreIsRefused() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        DeliveryTest.openChat(amy, bob);
        String full = "x".repeat(16 * 1024);
        amy.mark();
        amy.cmd("/msg bob " + full);
        Object id = amy.await("sending").get("id");
        bob.await("message", "text", full);
        amy.await("delivered", "id", id);
        amy.cmd("/msg bob " + full + "y");
        assertThat(amy.await("error").string("code")).isEqualTo("MESSAGE_TOO_LARGE");
    }
}
