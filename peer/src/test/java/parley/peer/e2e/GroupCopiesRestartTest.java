package parley.peer.e2e;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14, "a client restart loses no history": a group copy waiting in an offline member's
 * mailbox is still settled after the sender restarts. amy sends to #ops while carol is away, the
 * copy is queued in carol's mailbox, amy restarts, carol comes back and reads it: amy (the new run)
 * sees it {@code delivered} to carol, with its group, and {@code /history #ops} counts carol as
 * reached. Before the pending copies were kept in the local store the new run matched carol's
 * RECEIPT to nothing.
 */
class GroupCopiesRestartTest extends PeerFixture {
    @Test
    @SuppressWarnings("unchecked")
    void aMailboxCopyQueuedBeforeTheSenderRestartedIsDeliveredAndCountedAfterIt() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer carol = peer("carol").signUp();
        GroupChatTest.friends(amy, carol);
        GroupChatTest.group(amy, carol);
        carol.session.quit(10, TimeUnit.SECONDS);
        amy.await(e -> e.type().equals("presence") && "carol".equals(e.get("user")) && "offline".equals(e.get("state")));
        amy.cmd("/msg #ops while-you-were-away");
        Object id = amy.await("sending", "text", "while-you-were-away").get("id");
        amy.await(e -> e.type().equals("queued") && "carol".equals(e.get("to")) && id.equals(e.get("id")));
        amy.session.quit(10, TimeUnit.SECONDS);

        TestPeer amy2 = peer("amy").logIn();
        TestPeer carol2 = peer("carol").logIn();
        carol2.await("message", "text", "while-you-were-away");
        Seen delivered = amy2.await(e -> e.type().equals("delivered") && "carol".equals(e.get("to")) && id.equals(e.get("id")));
        assertThat(delivered.get("group")).isEqualTo("ops");

        amy2.mark();
        amy2.cmd("/history #ops");
        List<Map<String, Object>> h = (List<Map<String, Object>>) amy2.await("group_history").get("messages");
        assertThat(h).filteredOn(m -> id.equals(m.get("id"))).extracting(m -> m.get("reached")).containsExactly(1L);
    }
}
