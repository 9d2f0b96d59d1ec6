package parley.peer.core;

import parley.peer.event.ConsoleEvents;
import parley.peer.event.MessageEvents;
import parley.peer.net.PeerTransport;
import parley.peer.output.EventSink;
import parley.peer.store.StoreWorker;

import java.nio.ByteBuffer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Outgoing chat messages on the loop, from the transport to their end: handed to the session, held
 * while the contact's identity is unconfirmed, and each one settled as delivered or failed (or taken
 * by the mailbox), in an event and in the store. {@link Conversations} owns the sessions; this owns
 * what happens to each message.
 */
final class Outbox {
    private final EventSink sink;
    private final StoreWorker storage;
    private final Predicate<String> isHeld;
    /** The transport is set after construction (see {@link Conversations#transport(PeerTransport)}). */
    private final Supplier<PeerTransport> transport;
    /** Each outgoing payload is written here, on the loop; the transport copies it. */
    private final ByteBuffer outgoingPayload;
    /** Where messages go that no session can carry (sealed into the mailbox); null: they fail. */
    private OfflineMail mail;

    Outbox(EventSink sink, StoreWorker storage, Predicate<String> isHeld, Supplier<PeerTransport> transport, int maxText) {
        this.sink = sink;
        this.storage = storage;
        this.isHeld = isHeld;
        this.transport = transport;
        this.outgoingPayload = ByteBuffer.allocate(ChatPayload.OVERHEAD + maxText);
    }

    void mail(OfflineMail m) {
        this.mail = m;
    }

    void transmit(Conversation c, Conversation.Outgoing o) {
        long tid = transport.get().send(c.localId, ChatPayload.encode(outgoingPayload, o.id, o.sentAt, o.utf8));
        if (tid == PeerTransport.REFUSED) {
            failed(c, o, "too many messages on their way to " + c.user + "; wait for deliveries and send again");
            return;
        }
        c.inflight.put(tid, o);
    }

    /** Sends what waited for {@code c}'s session, once it is open, authenticated and not held. */
    void flush(Conversation c) {
        if (c.state != Conversation.State.OPEN || !c.authenticated) {
            return;
        }
        if (isHeld.test(c.user)) {
            if (!c.waiting.isEmpty()) {
                sink.emit(new ConsoleEvents.Info(c.waiting.size() + " message(s) to " + c.user + " held until you /verify "
                        + c.user + " confirm (--strict-identity)"));
            }
            return;
        }
        while (!c.waiting.isEmpty()) {
            transmit(c, c.waiting.poll());
        }
    }

    /**
     * The session to {@code c} could not be opened (offline, unreachable, no answer): its waiting
     * messages go to the mailbox, sealed, or fail if there is no mailroom.
     */
    void undeliverable(Conversation c, String reason) {
        if (mail == null || !mail.takeWaiting(c, reason)) {
            failWaiting(c, reason);
        }
    }

    void failWaiting(Conversation c, String reason) {
        while (!c.waiting.isEmpty()) {
            failed(c, c.waiting.poll(), reason);
        }
    }

    private void failed(Conversation c, Conversation.Outgoing o, String reason) {
        sink.emit(new MessageEvents.Failed(o.id, c.user, reason));
        storage.write(s -> {
            s.markFailed(o.id, reason);
            return null;
        });
    }

    /** The other side refused transport message {@code messageId} (too large, unreadable). */
    void rejected(Conversation c, long messageId, int reason) {
        Conversation.Outgoing o = c.inflight.remove(messageId);
        if (o != null) {
            failed(c, o, ChatPayload.rejectText(reason));
        }
    }

    void delivered(Conversation c, long messageId) {
        if (mail != null && mail.receiptSettled(c, messageId, true)) {
            return;
        }
        Conversation.Outgoing o = c.inflight.remove(messageId);
        if (o == null) {
            return;
        }
        sink.emit(new MessageEvents.Delivered(o.id, c.user));
        storage.write(s -> {
            s.markDelivered(o.id);
            return null;
        });
    }

    /** The transport gave up on {@code messageId}: the mailbox may still take it, else it fails. */
    void lost(Conversation c, long messageId, String reason) {
        if (mail != null && mail.receiptSettled(c, messageId, false)) {
            return;
        }
        Conversation.Outgoing o = c.inflight.remove(messageId);
        if (o != null && (mail == null || !mail.takeLost(c, o, reason))) {
            failed(c, o, reason);
        }
    }
}
