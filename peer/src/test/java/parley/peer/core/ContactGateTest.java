package parley.peer.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import parley.core.loop.EventLoop;
import parley.core.loop.ManualClock;
import parley.peer.event.PeerEvent;
import parley.peer.event.MessageEvents;
import parley.peer.identity.IdentityKeys;
import parley.peer.store.StoreWorker;
import parley.server.protocol.IdentityBundle;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.client.RegistryClient;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Right after a login, before the registry's first CONTACTS answer of that login, the contact list
 * is empty: a message to an offline contact must wait for it and go to the mailbox, not fail as if
 * to a stranger. The CONTACTS answer is held by the scripted link and given when the test says.
 */
class ContactGateTest {
    private final EventLoop loop = new EventLoop("contact-gate-test", new ManualClock());
    private final List<PeerEvent> events = new ArrayList<>();
    private final List<RegistryClient.Reply> heldContacts = new ArrayList<>();
    /** The users whose bundle the mailroom asked for: a deposit under way. */
    private final List<String> sealingFor = new ArrayList<>();

    private final RegistryRequests link = new RegistryRequests() {
        @Override
        public String user() {
            return "amy";
        }

        @Override
        public void request(int opcode, RegistryClient.Body body, RegistryClient.Reply reply) {
            if (opcode == RegistryOpcodes.CONTACTS) {
                heldContacts.add(reply);
            }
        }

        @Override
        public void onPush(int opcode, Push handler) {
        }
    };

    private final MailIdentity identity = new MailIdentity() {
        private final IdentityKeys keys = IdentityKeys.create(new SecureRandom());

        @Override
        public IdentityKeys keys() {
            return keys;
        }

        @Override
        public void bundleOf(String user, Consumer<IdentityBundle> onLoop) {
            sealingFor.add(user);
        }

        @Override
        public void currentBundleOf(String user, Consumer<IdentityBundle> onLoop) {
            sealingFor.add(user);
        }

        @Override
        public boolean isHeld(String user) {
            return false;
        }
    };

    private final StoreWorker storage = new StoreWorker("contact-gate-storage", Runnable::run);
    private final ContactBook book = new ContactBook(loop, link, events::add, () -> TimeUnit.SECONDS.toNanos(30));
    private final Mailroom mailroom = new Mailroom(loop, null, link, storage, events::add, identity);
    private final OfflineMail mail = new OfflineMail(null, mailroom, book, u -> false, storage, events::add);

    @AfterEach
    void close() {
        loop.close();
        storage.close();
    }

    private void answerContacts(String... contacts) {
        RegistryClient.Body body = w -> {
            w.u16(contacts.length);
            for (String c : contacts) {
                w.string(c).u8(0).i64(0);
            }
            w.u16(0).u16(0).u16(0);
        };
        heldContacts.remove(0).onReply(0, null, SimulatedNetwork.body(body));
    }

    private static Conversation waitingFor(String user, long id) {
        Conversation c = new Conversation(user);
        c.waiting.add(new Conversation.Outgoing(id, "hi", ChatPayload.utf8("hi"), 1));
        return c;
    }

    @Test
    void aMessageToAnOfflineContactBeforeTheFirstContactsAnswerWaitsForItAndGoesToTheMailbox() {
        book.loggedIn();
        Conversation bob = waitingFor("bob", 1);
        assertThat(mail.takeWaiting(bob, "bob is offline")).isTrue();
        assertThat(sealingFor).isEmpty();

        answerContacts("bob");
        assertThat(sealingFor).containsExactly("bob");
        assertThat(bob.waiting).isEmpty();
        assertThat(events).noneMatch(e -> e instanceof MessageEvents.Failed);
    }

    @Test
    void eachLoginClosesTheGateUntilItsOwnAnswerAndAStrangerStillFails() {
        book.loggedIn();
        answerContacts("bob");
        assertThat(mail.takeWaiting(waitingFor("carol", 2), "offline")).isFalse(); // loaded: a stranger

        book.loggedIn(); // a reconnect: the list may have changed meanwhile
        Conversation carol = waitingFor("carol", 3);
        assertThat(mail.takeWaiting(carol, "offline")).isTrue();
        assertThat(book.loaded()).isFalse();
        answerContacts("bob", "carol");
        assertThat(sealingFor).containsExactly("carol");
    }
}
