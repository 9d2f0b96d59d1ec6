package parley.peer.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.peer.event.MessageEvents;
import parley.peer.output.EventSink;
import parley.peer.store.StoreWorker;

import java.nio.ByteBuffer;

/**
 * Incoming chat messages of authenticated sessions, on the loop: receipts handed to the mailbox
 * side, every other payload judged (unreadable or too large is rejected, logged and counted), and a
 * good one shown once and stored.
 */
final class Inbox {
    private static final Logger log = LoggerFactory.getLogger(Inbox.class);

    private final EventSink sink;
    private final StoreWorker storage;
    private final int maxText;
    /** Incoming messages rejected (unreadable or too large): each is logged and counted here. */
    private long rejectedIncoming;
    /** Offline delivery's receipts and already-shown ids; null: no mailroom. */
    private OfflineMail mail;

    Inbox(EventSink sink, StoreWorker storage, int maxText) {
        this.sink = sink;
        this.storage = storage;
        this.maxText = maxText;
    }

    void mail(OfflineMail m) {
        this.mail = m;
    }

    /** Judges {@code payload} of session {@code sessionId} ({@code c} null: no such session); 0 or a reject reason. */
    int receive(Conversation c, long sessionId, ByteBuffer payload) {
        int length = payload.remaining();
        int receipt = c != null && mail != null ? mail.onReceipt(c, payload) : -1;
        if (receipt >= 0) {
            rejectedIncoming += receipt == 0 ? 0 : 1;
            return receipt;
        }
        ChatPayload p = c == null ? null : ChatPayload.decode(payload);
        int reject = ChatPayload.verdict(p, length, maxText);
        if (reject != 0) {
            rejectedIncoming++;
            log.warn("rejected a message of {} bytes from {} (reason {}; {} rejected so far)",
                    length, c == null ? "session " + sessionId : c.user, reject, rejectedIncoming);
            return reject;
        }
        deliver(c, p);
        return 0;
    }

    void deliver(Conversation c, ChatPayload p) {
        if (mail != null) {
            mail.deliverOnce(c, p); // exactly once against the history: the mailbox copy may have come first
            return;
        }
        sink.emit(new MessageEvents.Message(c.user, p.id, p.text, p.sentAt));
        String from = c.user;
        storage.write(s -> {
            s.addIncoming(p.id, from, p.text, p.sentAt);
            return null;
        });
    }

    long rejectedIncoming() {
        return rejectedIncoming;
    }
}
