package parley.peer.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import parley.core.loop.EventLoop;
import parley.core.loop.ManualClock;
import parley.core.wire.WireException;
import parley.peer.event.PeerEvent;
import parley.peer.event.ConsoleEvents;
import parley.peer.event.ContactEvents;
import parley.server.protocol.client.RegistryClient;
import parley.server.protocol.PresenceState;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.ContactEventPush;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contacts half of the peer against a scripted registry link: no sockets, synthetic time. */
class ContactBookTest {
    private final ManualClock clock = new ManualClock();
    private final EventLoop loop = new EventLoop("contact-book-test", clock);
    private final List<PeerEvent> events = new ArrayList<>();
    private final List<Integer> sent = new ArrayList<>();
    private final Map<Integer, RegistryRequests.Push> pushes = new HashMap<>();
    /** The registry's answer to the next CONTACTS request. */
    private RegistryClient.Body contactsAnswer = w -> w.u16(0).u16(0).u16(0).u16(0);

    private final RegistryRequests link = new RegistryRequests() {
        @Override
        public String user() {
            return "amy";
        }

        @Override
        public void request(int opcode, RegistryClient.Body body, RegistryClient.Reply reply) {
            sent.add(opcode);
            reply.onReply(0, null, SimulatedNetwork.body(opcode == RegistryOpcodes.CONTACTS ? contactsAnswer : w -> { }));
        }

        @Override
        public void onPush(int opcode, Push handler) {
            pushes.put(opcode, handler);
        }
    };

    private final ContactBook book = new ContactBook(loop, link, events::add, () -> TimeUnit.SECONDS.toNanos(30));

    @AfterEach
    void close() {
        loop.close();
    }

    private void push(int opcode, RegistryClient.Body body) {
        pushes.get(opcode).accept(SimulatedNetwork.body(body));
    }

    @Test
    void aLoginSeedsTheListsSilentlyAndPushesAndAnswersKeepThem() {
        contactsAnswer = w -> w.u16(1).string("bob").u8(PresenceState.ONLINE).i64(5).u16(1).string("carol").u16(0).u16(0);
        book.loggedIn();
        assertThat(events).isEmpty();
        assertThat(book.isContact("BOB")).isTrue();

        book.answer("carol", true, false);
        assertThat(events).containsExactly(new ContactEvents.Contact("carol", "accepted"));
        assertThat(book.isContact("carol")).isTrue();

        events.clear();
        push(RegistryOpcodes.PRESENCE, w -> w.string("bob").u8(PresenceState.OFFLINE).i64(7));
        push(RegistryOpcodes.CONTACT_EVENT, w -> w.string("bob").u8(ContactEventPush.REMOVED));
        push(RegistryOpcodes.CONTACT_EVENT, w -> w.string("dave").u8(ContactEventPush.REQUESTED));
        assertThat(events).containsExactly(new ContactEvents.Presence("bob", "offline", 7),
                new ContactEvents.Contact("bob", "removed"), new ContactEvents.ContactRequest("dave"));
        assertThat(book.isContact("bob")).isFalse();
    }

    @Test
    void theContactSideOfAnAnsweredChatRequestActsOnlyOnAKnownContactRequest() {
        book.loggedIn();
        sent.clear();
        book.answer("erin", true, true); // /accept erin answered her chat request; she never asked to be a contact
        assertThat(sent).isEmpty();
        assertThat(events).isEmpty();
    }

    @Test
    void aReconnectReportsWhatChangedWhileTheRegistryWasAway() {
        contactsAnswer = w -> w.u16(1).string("bob").u8(PresenceState.ONLINE).i64(5).u16(0).u16(0).u16(0);
        book.loggedIn();
        contactsAnswer = w -> w.u16(1).string("bob").u8(PresenceState.OFFLINE).i64(9).u16(0).u16(0).u16(0);
        book.loggedIn();
        assertThat(events).containsExactly(new ContactEvents.Presence("bob", "offline", 9));
    }

    @Test
    void contactsShowsTheRegistryListsAndAMalformedAnswerIsAnError() {
        contactsAnswer = w -> w.u16(1).string("bob").u8(PresenceState.AWAY).i64(5).u16(1).string("carol")
                .u16(1).string("dave").u16(1).string("erin");
        book.list();
        assertThat(events).containsExactly(new ContactEvents.Contacts(List.of(new ContactEvents.UserState("bob", "away", 5)),
                List.of("carol"), List.of("dave"), List.of("erin"), List.of()));
        events.clear();
        contactsAnswer = w -> w.u16(1).string("../bob").u8(PresenceState.AWAY).i64(5).u16(0).u16(0).u16(0);
        book.list();
        assertThat(events).singleElement().isInstanceOfSatisfying(ConsoleEvents.Error.class,
                e -> assertThat(e.code()).isEqualTo("MALFORMED_BODY"));
    }

    @Test
    void aPushWithAnInvalidNameIsMalformedForTheLinkToReport() {
        assertThatThrownBy(() -> push(RegistryOpcodes.PRESENCE, w -> w.string("x\u001b[2J").u8(1).i64(0)))
                .isInstanceOf(WireException.class);
        assertThat(events).isEmpty();
    }
}
