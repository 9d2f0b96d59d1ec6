package parley.peer.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.loop.EventLoop;
import parley.core.loop.WorkQueue;
import parley.peer.event.ClientErrors;
import parley.peer.event.ConsoleEvents;
import parley.peer.event.MessageEvents;
import parley.peer.identity.IdentityKeys;
import parley.peer.mail.MailCounters;
import parley.peer.mail.SealedMail;
import parley.peer.output.EventSink;
import parley.peer.store.StoreWorker;
import parley.server.protocol.IdentityBundle;
import parley.server.protocol.MailDeposit;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.client.RegistryClient;

import java.security.SecureRandom;
import java.util.function.Consumer;

/**
 * The sending half of offline delivery (PROTOCOL.md 7.11): a message that cannot go over a peer
 * session is sealed to the contact's identity key and deposited in their mailbox; MAIL_DEPOSIT's
 * answer makes it {@code queued} (event and store). Receipts go back the same way: directly over an
 * open session when there is one, sealed into the sender's mailbox otherwise. And what comes back
 * (a receipt, an expiry notice) settles our queued message as delivered or failed.
 *
 * <p>Loop thread, except the sealing itself, which runs on the hashing worker (X25519, Ed25519).
 * The codec is used only there, by one thread.
 */
final class Mailroom {
    private static final Logger log = LoggerFactory.getLogger(Mailroom.class);
    static final String EXPIRED = "expired";

    /** Sends a RECEIPT over an open peer session; false if there is none. */
    interface DirectReceipts {
        boolean send(String user, long deliveredId);
    }

    private final EventLoop loop;
    private final WorkQueue<Runnable> worker;
    private final RegistryRequests link;
    private final StoreWorker storage;
    private final EventSink sink;
    private final MailIdentity identity;
    private final SealedMail codec = new SealedMail();
    private final SecureRandom random = new SecureRandom();
    final MailCounters counters = new MailCounters();
    private DirectReceipts direct = (u, id) -> false;

    /** Settles a receipt for one of our group copies (issue 14); true if it named one. */
    interface GroupReceipts {
        boolean settle(String from, long id);
    }

    /**
     * Ends a group copy whose mailbox entry expired unread (the registry's notice, 7.10): true if
     * mail {@code id} to {@code to} was such a copy, so it is not looked for among the texts.
     */
    interface GroupExpiries {
        boolean expired(String to, long id);
    }

    /**
     * A RECEIPT ({@code reached}) or expiry notice that matched neither a group copy of this run
     * nor a 1:1 message: the group copies an earlier run recorded in the store are asked.
     * {@code done} as in {@link #receiptFrom}.
     */
    interface StoredGroupCopies {
        void settle(String member, long id, boolean reached, Consumer<Boolean> done);
    }

    /** How a group copy's deposit ended: {@code err} 0 when the mailbox holds it, else the reason. */
    interface Deposited {
        void done(int err, String reason);
    }

    /** Not a registry error: the copy was not deposited for a reason of ours (no key, removed member). */
    static final int NOT_SENT = -1;
    private GroupReceipts groupReceipts = (f, id) -> false;
    private GroupExpiries groupExpiries = (t, id) -> false;
    private StoredGroupCopies storedGroupCopies = (m, id, reached, done) -> done.accept(true);

    Mailroom(EventLoop loop, WorkQueue<Runnable> worker, RegistryRequests link, StoreWorker storage, EventSink sink,
             MailIdentity identity) {
        this.loop = loop;
        this.worker = worker;
        this.link = link;
        this.storage = storage;
        this.sink = sink;
        this.identity = identity;
    }

    void directReceipts(DirectReceipts d) {
        this.direct = d;
    }

    void groupReceipts(GroupReceipts g) {
        this.groupReceipts = g;
    }

    void groupExpiries(GroupExpiries g) {
        this.groupExpiries = g;
    }

    void storedGroupCopies(StoredGroupCopies g) {
        this.storedGroupCopies = g;
    }

    /**
     * Seals a group body (PROTOCOL.md 9.3.2, sealed-mail kind 3) to member {@code to} and deposits
     * it. {@code stillMember} is asked once more after sealing, just before the copy leaves: a
     * member removed meanwhile is sent nothing.
     */
    void depositGroup(String to, long id, long sentAt, byte[] body, java.util.function.BooleanSupplier stillMember, Deposited done) {
        String me = link.user();
        IdentityKeys keys = identity.keys();
        if (me == null || keys == null) {
            done.done(NOT_SENT, "no identity key is loaded to leave a sealed message");
            return;
        }
        identity.currentBundleOf(to, bundle -> {
            if (bundle == null) {
                done.done(NOT_SENT, to + " has no identity key to seal a message to");
            } else if (identity.isHeld(to)) {
                done.done(NOT_SENT, "held: " + to + "'s identity changed; /verify " + to + " confirm (--strict-identity)");
            } else {
                seal(SealedMail.Mail.group(me, id, sentAt, body), to, bundle, keys, blob -> {
                    if (!stillMember.getAsBoolean()) {
                        done.done(NOT_SENT, to + " is no longer a member");
                        return;
                    }
                    link.request(RegistryOpcodes.MAIL_DEPOSIT, w -> MailDeposit.write(w, to, id, blob), (err, reason, r) -> {
                        if (err == 0) {
                            counters.countDeposited();
                        }
                        done.done(err, err == 0 ? null : "could not leave it in " + to + "'s mailbox: " + ErrorText.explain(err, reason, to));
                    });
                }, why -> done.done(NOT_SENT, why));
            }
        });
    }

    /** The codec, for the drain: hashing worker only. */
    SealedMail codec() {
        return codec;
    }

    // ---- sending a text -------------------------------------------------------------------------

    /** Seals and deposits a text the peer session could not carry; it is already stored as pending. */
    void deposit(String to, long id, long sentAt, String text, String whyNotDirect) {
        String me = link.user();
        IdentityKeys keys = identity.keys();
        if (me == null || keys == null) {
            failed(id, to, whyNotDirect + "; and no identity key is loaded to leave a sealed message");
            return;
        }
        // Durable before sealing: if the process dies from here to the answer, the next start deposits it again.
        storage.write(s -> s.markMailing(id, to));
        identity.currentBundleOf(to, bundle -> {
            if (bundle == null) {
                failed(id, to, whyNotDirect + "; and no sealed message can be left: " + to + " has no identity key (an older client)");
                return;
            }
            if (identity.isHeld(to)) {
                failed(id, to, "held: " + to + "'s identity changed; /verify " + to + " confirm, then send again (--strict-identity)");
                return;
            }
            seal(SealedMail.Mail.text(me, id, sentAt, text), to, bundle, keys, blob -> send(to, id, blob, null),
                    why -> failed(id, to, why));
        });
    }

    /**
     * At the start of a run, once this device's identity keys are loaded: deposits again what an
     * earlier run left on its way to the mailbox ({@link parley.peer.store.StoredMessage#MAILING}).
     * A copy the registry already holds is answered as a success (idempotent by id, 7.10).
     */
    void resumeDeposits() {
        storage.read(s -> s.mailing(), rows -> {
            for (parley.peer.store.StoredMessage m : rows) {
                deposit(m.peer, m.id, m.sentAt, m.text, "the client stopped while leaving it in " + m.peer + "'s mailbox");
            }
        }, e -> sink.emit(new ConsoleEvents.Error(ClientErrors.STORAGE, "cannot read the messages left on their way to a mailbox: "
                + e.getMessage())));
    }

    private interface Sealed {
        void accept(byte[] blob);
    }

    /** Seals on the worker; {@code then} gets the blob on the loop, or {@code onError} gets the reason there. */
    private void seal(SealedMail.Mail mail, String to, IdentityBundle bundle, IdentityKeys keys, Sealed then, Consumer<String> onError) {
        worker.offer(() -> {
            byte[] blob;
            try {
                blob = codec.seal(mail, to, bundle.agreementKey(), keys::sign);
            } catch (RuntimeException e) {
                log.error("sealing mail {} to {} failed", mail.id(), to, e);
                loop.execute(() -> onError.accept("could not seal the message: " + e.getMessage()));
                return;
            }
            loop.execute(() -> then.accept(blob));
        });
    }

    /**
     * MAIL_DEPOSIT of a sealed text ({@code receiptDone} null) or receipt. A receipt's
     * {@code receiptDone} hears true once it is in the mailbox or can never be (a refusal), false
     * when it may still go later (no connection, logged out): see {@link #sendReceipt}.
     */
    private void send(String to, long id, byte[] blob, Consumer<Boolean> receiptDone) {
        boolean receipt = receiptDone != null;
        link.request(RegistryOpcodes.MAIL_DEPOSIT, w -> MailDeposit.write(w, to, id, blob), (err, reason, body) -> {
            if (err != 0) {
                if (receipt) {
                    boolean later = err == RegistryClient.CONNECTION_LOST || err == RegistryErrors.NOT_AUTHENTICATED;
                    if (later) {
                        // it goes once we are logged in again (seen when a demo peer quits mid-deposit)
                        log.debug("receipt for {} not deposited yet: {} {}", to, err, reason);
                    } else {
                        log.warn("could not deposit a receipt for {}: {} {}", to, err, reason);
                    }
                    receiptDone.accept(!later);
                } else {
                    // A full mailbox is its own clear reason; other refusals say where they happened.
                    failed(id, to, err == RegistryErrors.MAILBOX_FULL ? ErrorText.explain(err, reason, to)
                            : "could not leave it in " + to + "'s mailbox: " + ErrorText.explain(err, reason, to));
                }
                return;
            }
            counters.countDeposited();
            if (receipt) {
                receiptDone.accept(true);
                return;
            }
            sink.emit(new MessageEvents.Queued(id, to));
            storage.write(s -> s.markQueued(id, to));
        });
    }

    /** {@code id} to {@code to} will not be delivered: the event and the store say so. */
    void failed(long id, String to, String reason) {
        sink.emit(new MessageEvents.Failed(id, to, reason));
        storage.write(s -> {
            s.markFailed(id, reason);
            return null;
        });
    }

    // ---- receipts -------------------------------------------------------------------------------

    /**
     * We stored {@code from}'s message {@code id}, which came through the mailbox: tell them,
     * directly if a session is open, else by a sealed receipt in their mailbox. {@code done} hears
     * true once the receipt is handed to the session or deposited (or refused for good), false if
     * it could not go now (no connection, logged out, no keys): the drain then leaves the mail
     * unacknowledged, so it comes again and its receipt is sent again. Why: the drain used to
     * acknowledge the mail while its receipt was still being sealed, and a peer that quit (or lost
     * the registry) right after reading lost the receipt for good, leaving the sender's message
     * {@code queued} forever.
     */
    void sendReceipt(String from, long id, IdentityBundle theirs, Consumer<Boolean> done) {
        if (direct.send(from, id)) {
            done.accept(true); // a RECEIPT lost with its session goes through the mailbox (directReceiptLost)
            return;
        }
        sealedReceipt(from, id, theirs, done);
    }

    /** A RECEIPT sent directly was lost with its session: send it through the mailbox instead. */
    void directReceiptLost(String from, long id) {
        identity.bundleOf(from, b -> {
            if (b != null) {
                sealedReceipt(from, id, b, deposited -> { });
            }
        });
    }

    private void sealedReceipt(String to, long deliveredId, IdentityBundle theirs, Consumer<Boolean> done) {
        String me = link.user();
        IdentityKeys keys = identity.keys();
        if (me == null || keys == null) {
            done.accept(false);
            return;
        }
        long receiptId = random.nextLong();
        seal(SealedMail.Mail.receipt(me, receiptId, System.currentTimeMillis(), deliveredId), to, theirs, keys,
                blob -> send(to, receiptId, blob, done), why -> done.accept(true));
    }

    /**
     * {@code from} says it stored our message {@code id} (a direct RECEIPT or a sealed one):
     * delivered, once; a repeat or a receipt for someone else's message changes nothing.
     */
    void receiptFrom(String from, long id, Consumer<Boolean> done) {
        if (groupReceipts.settle(from, id)) {
            done.accept(true);
            return;
        }
        storage.read(s -> s.markDeliveredBy(id, from), changed -> {
            if (changed) {
                sink.emit(new MessageEvents.Delivered(id, from));
                done.accept(true);
            } else {
                storedGroupCopies.settle(from, id, true, done);
            }
        }, e -> {
            sink.emit(new ConsoleEvents.Error(ClientErrors.STORAGE, "cannot record a delivery: " + e.getMessage()));
            done.accept(false);
        });
    }

    /** The registry says our mail {@code id} to {@code to} expired unread. */
    void expired(String to, long id, Consumer<Boolean> done) {
        if (groupExpiries.expired(to, id)) {
            done.accept(true);
            return;
        }
        storage.read(s -> s.markFailedFor(id, to, EXPIRED), changed -> {
            if (changed) {
                sink.emit(new MessageEvents.Failed(id, to, EXPIRED));
                done.accept(true);
            } else {
                storedGroupCopies.settle(to, id, false, done);
            }
        }, e -> {
            sink.emit(new ConsoleEvents.Error(ClientErrors.STORAGE, "cannot record an expiry: " + e.getMessage()));
            done.accept(false);
        });
    }
}
