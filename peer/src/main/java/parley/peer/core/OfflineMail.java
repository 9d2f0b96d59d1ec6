package parley.peer.core;

import parley.peer.event.MessageEvents;
import parley.peer.net.PeerTransport;
import parley.peer.output.EventSink;
import parley.peer.store.StoreWorker;

import java.nio.ByteBuffer;
import java.util.function.Predicate;

/**
 * {@link Conversations}' side of offline delivery (PROTOCOL.md 7.11): what a session could not
 * carry goes to the {@link Mailroom}; RECEIPT payloads (9.3.1, kind 0x03) go in both directions;
 * a message already shown from the mailbox is not shown again when a direct copy follows. Kept
 * apart so the chat logic stays readable. Loop thread only.
 */
final class OfflineMail {
    private final Conversations chats;
    private final Mailroom mail;
    /**
     * Only a contact has a mailbox we may leave messages in (the registry refuses others alike);
     * before this login's contact list is loaded the answer waits for it.
     */
    private final ContactGate contacts;
    /** --strict-identity holds messages to a contact whose identity changed: never seal those either. */
    private final Predicate<String> isHeld;
    private final StoreWorker storage;
    private final EventSink sink;
    /** The RECEIPT being sent; the transport copies it. */
    private final ByteBuffer receipt = ByteBuffer.allocate(ReceiptPayload.LENGTH);

    OfflineMail(Conversations chats, Mailroom mail, ContactGate contacts, Predicate<String> isHeld,
                StoreWorker storage, EventSink sink) {
        this.chats = chats;
        this.storage = storage;
        this.sink = sink;
        this.mail = mail;
        this.contacts = contacts;
        this.isHeld = isHeld;
        mail.directReceipts(this::sendReceipt);
    }

    /**
     * The session to {@code c} could not be opened: seals its waiting messages into the mailbox.
     * Messages held by --strict-identity stay waiting (held) until the user confirms the new key.
     */
    boolean takeWaiting(Conversation c, String reason) {
        if (!contacts.loaded()) {
            // The messages stay waiting: a session that opens meanwhile still carries them directly.
            contacts.whenLoaded(() -> {
                if (c.state == Conversation.State.IDLE && !takeWaiting(c, reason)) {
                    chats.failWaiting(c, reason);
                }
            });
            return true;
        }
        if (!contacts.isContact(c.user)) {
            return false;
        }
        if (isHeld.test(c.user)) {
            return true;
        }
        while (!c.waiting.isEmpty()) {
            Conversation.Outgoing o = c.waiting.poll();
            mail.deposit(c.user, o.id, o.sentAt, o.text, reason);
        }
        return true;
    }

    /** A message lost with its session, perhaps received, perhaps not: the mailbox copy is deduplicated. */
    boolean takeLost(Conversation c, Conversation.Outgoing o, String reason) {
        if (!contacts.loaded()) {
            contacts.whenLoaded(() -> {
                if (contacts.isContact(c.user)) {
                    mail.deposit(c.user, o.id, o.sentAt, o.text, reason);
                } else {
                    mail.failed(o.id, c.user, reason);
                }
            });
            return true;
        }
        if (!contacts.isContact(c.user)) {
            return false;
        }
        mail.deposit(c.user, o.id, o.sentAt, o.text, reason);
        return true;
    }

    /** -1 if {@code payload} is not a RECEIPT; else 0 (taken) or the REJECT reason. */
    int onReceipt(Conversation c, ByteBuffer payload) {
        if (!ReceiptPayload.isReceipt(payload)) {
            return -1;
        }
        if (!ReceiptPayload.wellFormed(payload)) {
            return ChatPayload.REJECT_MALFORMED;
        }
        mail.receiptFrom(c.user, ReceiptPayload.id(payload), stored -> { });
        return 0;
    }

    /**
     * True if transport message {@code tid} was one of our RECEIPTs, now settled; one that was
     * lost with its session goes through the mailbox instead.
     */
    boolean receiptSettled(Conversation c, long tid, boolean delivered) {
        Long id = c.receipts.remove(tid);
        if (id == null) {
            return false;
        }
        if (!delivered) {
            mail.directReceiptLost(c.user, id);
        }
        return true;
    }

    /**
     * Stores a message that came over the session and shows it only if its (sender, id) was not in
     * the history yet: its mailbox copy may have come first (the sender deposited it when the
     * session died, but a datagram of the old session still got through), perhaps before a
     * restart. The history is the durable dedup, the same one the drain uses; the store worker
     * runs in order, so messages are shown in the order they came. If the store cannot answer,
     * the message is shown rather than lost.
     */
    void deliverOnce(Conversation c, ChatPayload p) {
        String from = c.user;
        storage.read(s -> s.addIncomingIfNew(p.id, from, p.text, p.sentAt), isNew -> {
            if (isNew) {
                sink.emit(new MessageEvents.Message(from, p.id, p.text, p.sentAt));
            }
        }, e -> sink.emit(new MessageEvents.Message(from, p.id, p.text, p.sentAt)));
    }

    /** Sends a RECEIPT over the open session with {@code user}; false if there is none. */
    private boolean sendReceipt(String user, long deliveredId) {
        Conversation c = chats.find(user);
        if (c == null || c.state != Conversation.State.OPEN || !c.authenticated) {
            return false;
        }
        long tid = chats.transport().send(c.localId, ReceiptPayload.encode(receipt, deliveredId));
        if (tid == PeerTransport.REFUSED) {
            return false;
        }
        c.receipts.put(tid, deliveredId);
        return true;
    }
}
