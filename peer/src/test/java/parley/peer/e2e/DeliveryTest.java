package parley.peer.e2e;

import org.junit.jupiter.api.Test;
import parley.peer.core.PeerConfig;
import parley.peer.net.Faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryTest extends PeerFixture {
    /** Makes a and b contacts: with the default visibility (contacts) only contacts can reach each other. */
    static void befriend(TestPeer a, TestPeer b) {
        a.cmd("/add " + b.name);
        b.await("contact_request", "from", a.name);
        b.cmd("/accept " + a.name);
        a.await(e -> e.type().equals("contact") && b.name.equals(e.get("user")) && "accepted".equals(e.get("change")));
    }

    /** Makes a and b contacts, opens a chat from a to b (contacts: no prompt) and waits for the first delivery. */
    static void openChat(TestPeer a, TestPeer b) {
        befriend(a, b);
        a.cmd("/msg " + b.name + " hello " + b.name);
        Seen sent = a.await("sending");
        a.await("delivered", "id", sent.get("id"));
    }

    @Test
    void everyMessageIsDeliveredOnceDespiteLossAndDuplicates() throws Exception {
        PeerConfig lossy = config("amy");
        lossy.faults = new Faults(42, 0.2, 0.05, 0.05);
        TestPeer amy = peer(lossy).signUp();
        TestPeer bob = peer("bob").signUp();
        openChat(amy, bob);

        // bob sends in a burst (coalesced into few datagrams); amy one at a time (many datagrams,
        // so the injected loss on her side is certain to hit some).
        List<Object> bobIds = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            bob.cmd("/msg amy b" + i);
        }
        for (int i = 0; i < 20; i++) {
            amy.cmd("/msg bob a" + i);
            Object id = amy.await("sending", "text", "a" + i).get("id");
            bob.await("message", "text", "a" + i);
            amy.await("delivered", "id", id);
        }
        for (int i = 0; i < 20; i++) {
            bobIds.add(bob.await("sending", "text", "b" + i).get("id"));
            amy.await("message", "text", "b" + i);
        }
        for (Object id : bobIds) {
            bob.await("delivered", "id", id);
        }
        assertThat(bob.seen("message")).hasSize(21);
        assertThat(amy.seen("message")).hasSize(20);
        assertThat(amy.seen("failed")).isEmpty();
        assertThat(bob.seen("failed")).isEmpty();

        amy.cmd("/stats");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) amy.await("stats").get("sessions");
        assertThat(rows).hasSize(1);
        assertThat(((Number) rows.get(0).get("retransmissions")).longValue()).isPositive();
        assertThat(((Number) rows.get(0).get("loss")).doubleValue()).isPositive();
        assertThat(rows.get(0).get("rtt_p50_us")).isNotNull();
    }

    @Test
    void aDeclinedSessionRequestFailsTheWaitingMessageWithTheReason() throws Exception {
        TestPeer amy = peer("amy").signUp();
        PeerConfig confirm = config("bob");
        confirm.autoAcceptContacts = false; // --confirm-sessions: the prompt, for contacts too
        TestPeer bob = peer(confirm).signUp();
        befriend(amy, bob);

        amy.cmd("/msg bob shall we talk");
        Seen sending = amy.await("sending");
        bob.await("session_request", "from", "amy");
        bob.cmd("/decline amy");
        Seen failed = amy.await("failed", "id", sending.get("id"));
        assertThat(failed.string("reason")).contains("bob declined");
        assertThat(amy.await("session_declined").get("user")).isEqualTo("bob");
        assertThat(bob.seen("message")).isEmpty();
        assertThat(amy.seen("delivered")).isEmpty();
    }

    @Test
    void autoAcceptOpensSessionsFromContactsWithoutAsking() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp(); // the default since issue 12
        befriend(amy, bob);
        amy.cmd("/msg bob no need to ask");
        Object id = amy.await("sending").get("id");
        bob.await("message", "text", "no need to ask");
        amy.await("delivered", "id", id);
        assertThat(bob.seen("session_request")).isEmpty();
    }

    @Test
    void clearErrorsForMistakes() throws Exception {
        TestPeer amy = peer("amy");
        amy.await("ready");
        amy.cmd("/dance");
        assertThat(amy.await("error", "code", "UNKNOWN_COMMAND").string("message")).contains("/help");
        amy.cmd("/who");
        assertThat(amy.await("error", "code", "NOT_AUTHENTICATED").string("message")).contains("/login");
        amy.cmd("/msg bob hi");
        assertThat(amy.await("error", "code", "NOT_LOGGED_IN").string("message")).contains("/login");
        amy.signUp();
        amy.cmd("/msg bob " + "x".repeat(20_000));
        assertThat(amy.await("error", "code", "MESSAGE_TOO_LARGE").string("message")).contains("split");
        amy.cmd("hello");
        assertThat(amy.await("error", "code", "NO_CHAT_PARTNER").string("message")).contains("/chat");
        amy.cmd("/login amy");
        assertThat(amy.await("error", "code", "USAGE").string("message")).contains("password");
        Map<String, Object> none = Map.of();
        assertThat(none).isEmpty();
    }
}
