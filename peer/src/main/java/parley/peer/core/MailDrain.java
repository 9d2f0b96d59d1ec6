package parley.peer.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.loop.EventLoop;
import parley.core.loop.WorkQueue;
import parley.peer.event.ClientErrors;
import parley.peer.event.ConsoleEvents;
import parley.peer.event.MessageEvents;
import parley.peer.identity.IdentityKeys;
import parley.peer.mail.SealedMail;
import parley.peer.output.EventSink;
import parley.peer.store.StoreWorker;
import parley.server.protocol.IdentityBundle;
import parley.server.protocol.MailAck;
import parley.server.protocol.MailEntry;
import parley.server.protocol.MailFetch;
import parley.server.protocol.MailPage;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.client.RegistryClient;

import java.util.List;

/**
 * The receiving half of offline delivery (PROTOCOL.md 7.10, 7.11): at login and on MAIL_WAITING,
 * fetches the account's mailbox page by page and takes each entry in sequence order: opens it on
 * the hashing worker, checks the sender's signature, stores a text in the local history (new
 * (sender, id) only: exactly once however often it comes) and sends its receipt; a receipt or an
 * expiry notice settles one of our own messages. MAIL_ACK for a page goes only after every entry
 * of it is stored and each text's receipt is deposited (or handed to an open session), so a crash
 * or a quit anywhere before re-delivers rather than loses, the message or its receipt. A refused entry is
 * counted and acknowledged like the rest, so it cannot block the mailbox.
 *
 * <p>One drain at a time; a MAIL_WAITING during one makes it fetch again when it ends.
 */
final class MailDrain {
    private static final Logger log = LoggerFactory.getLogger(MailDrain.class);
    /** Entries per MAIL_FETCH. */
    static final int PAGE = 64;

    private final EventLoop loop;
    private final WorkQueue<Runnable> worker;
    private final RegistryRequests link;
    private final StoreWorker storage;
    private final EventSink sink;
    private final MailIdentity identity;
    private final Mailroom mailroom;
    private boolean running;
    /** Takes an opened group mail (kind 3) and says what became of it. */
    interface GroupMail {
        /**
         * STORED: held (now or before), so its receipt goes back; DROPPED on purpose (not a group
         * of ours, the sender not a member, malformed): acknowledged without a receipt, so the
         * sender is never told a non-member has it; RETRY: not stored, the page comes again.
         */
        enum Taken { STORED, DROPPED, RETRY }

        void accept(SealedMail.Mail m, java.util.function.Consumer<Taken> taken);
    }

    private GroupMail groups;
    /** Runs after each drain that read the mailbox to its end: groups then report the gaps still open. */
    private Runnable afterDrain = () -> { };
    /** Runs after each page's entries are all stored: groups then show what the page brought. */
    private Runnable afterPage = () -> { };
    private boolean again;
    private boolean enabled;
    /** Bumped by each drain, so callbacks of one abandoned at logout do nothing. */
    private int generation;
    /**
     * Receipts of this page's texts not yet deposited (or handed to a session): the page is
     * acknowledged only after all of them, so a receipt cannot be lost with a page already gone.
     */
    private int receiptsOut;
    /** A receipt of this page could not go now: the page stays unacknowledged and comes again. */
    private boolean receiptHeldBack;
    /** The page's acknowledgement, waiting for {@link #receiptsOut} to reach 0. */
    private Runnable afterReceipts;

    MailDrain(EventLoop loop, WorkQueue<Runnable> worker, RegistryRequests link, StoreWorker storage, EventSink sink,
              MailIdentity identity, Mailroom mailroom) {
        this.loop = loop;
        this.worker = worker;
        this.link = link;
        this.storage = storage;
        this.sink = sink;
        this.identity = identity;
        this.mailroom = mailroom;
        link.onPush(RegistryOpcodes.MAIL_WAITING, body -> start());
    }

    /**
     * {@code afterEachPage} runs once every entry of a page is stored, before the page waits for
     * its receipts and its acknowledgement (which may pause the drain until a later one).
     */
    void groups(GroupMail g, Runnable afterEachPage, Runnable afterEachDrain) {
        this.groups = g;
        this.afterPage = afterEachPage;
        this.afterDrain = afterEachDrain;
    }

    /** Logged in with keys and a store: drain now and on every MAIL_WAITING. */
    void enable() {
        enabled = true;
        start();
    }

    /** Logged out: stop; a drain under way is abandoned (its page is not acknowledged, so it comes again). */
    void disable() {
        enabled = false;
        running = false;
        again = false;
        generation++;
        resetReceipts();
    }

    private void resetReceipts() {
        receiptsOut = 0;
        receiptHeldBack = false;
        afterReceipts = null;
    }

    void start() {
        if (!enabled) {
            return;
        }
        if (running) {
            again = true;
            return;
        }
        running = true;
        again = false;
        resetReceipts();
        fetch(++generation, 0);
    }

    private void fetch(int gen, long after) {
        link.request(RegistryOpcodes.MAIL_FETCH, new MailFetch(after, PAGE)::encode, (err, reason, body) -> {
            if (gen != generation) {
                return;
            }
            if (err != 0) {
                stop(err, "could not fetch the mailbox: " + ErrorText.explain(err, reason, null));
                return;
            }
            MailPage page;
            try {
                page = MailPage.decode(body);
            } catch (RuntimeException e) {
                stop(ClientErrors.MALFORMED_BODY, "ignored a malformed mailbox page from the registry: " + e.getMessage());
                return;
            }
            next(gen, page, after, 0);
        });
    }

    /** Takes entry {@code i} of {@code page}; after the last, acknowledges the page and goes on. */
    private void next(int gen, MailPage page, long after, int i) {
        if (gen != generation) {
            return;
        }
        List<MailEntry> entries = page.entries();
        if (i == entries.size()) {
            afterPage.run();
            finishPage(gen, page, after);
            return;
        }
        MailEntry e = entries.get(i);
        java.util.function.Consumer<Boolean> then = stored -> {
            if (stored) {
                next(gen, page, after, i + 1);
            } else {
                stop(ClientErrors.STORAGE, "the local store failed; the mailbox is left as it is and read again later");
            }
        };
        if (e.kind() == MailEntry.EXPIRED) {
            mailroom.expired(e.recipient(), e.messageId(), then);
        } else {
            open(e, then);
        }
    }

    private void finishPage(int gen, MailPage page, long after) {
        if (page.entries().isEmpty()) {
            done(gen);
            return;
        }
        if (receiptsOut > 0) {
            afterReceipts = () -> finishPage(gen, page, after);
            return;
        }
        if (receiptHeldBack) {
            // Not acknowledged: the page comes again at the next drain and its receipts are sent again.
            log.info("mailbox drain paused: a receipt could not be sent now; the mail stays until it can");
            running = false;
            return;
        }
        long last = page.lastSequence(after);
        link.request(RegistryOpcodes.MAIL_ACK, new MailAck(last)::encode, (err, reason, body) -> {
            if (gen != generation) {
                return;
            }
            if (err != 0) {
                stop(err, "could not acknowledge the mailbox: " + ErrorText.explain(err, reason, null));
                return;
            }
            if (page.more()) {
                fetch(gen, last);
            } else {
                done(gen);
            }
        });
    }

    private void done(int gen) {
        running = false;
        if (again && gen == generation) {
            start();
        } else if (gen == generation) {
            afterDrain.run();
        }
    }

    /**
     * A registry answer stopped the drain. A lost connection or a logout is not the user's
     * problem to hear about here: the link reports those itself, the entries stay in the mailbox
     * (nothing unacknowledged is deleted) and the next login drains again.
     */
    private void stop(int err, String why) {
        if (err == RegistryClient.CONNECTION_LOST || err == RegistryErrors.NOT_AUTHENTICATED) {
            log.info("mailbox drain paused until the next login: {}", why);
            running = false;
            return;
        }
        stop(ErrorText.code(err), why);
    }

    private void stop(String code, String why) {
        log.warn("mailbox drain stopped: {}", why);
        sink.emit(new ConsoleEvents.Error(code, why));
        running = false;
    }

    // ---- one sealed entry -----------------------------------------------------------------------

    private void open(MailEntry e, java.util.function.Consumer<Boolean> then) {
        IdentityKeys keys = identity.keys();
        String me = link.user();
        if (keys == null || me == null) {
            then.accept(false);
            return;
        }
        SealedMail codec = mailroom.codec();
        worker.offer(() -> {
            try {
                SealedMail.Opened opened = codec.open(e.blob(), me, keys.agreementKeys());
                loop.execute(() -> verify(e, opened, then));
            } catch (SealedMail.Rejected r) {
                loop.execute(() -> refuse(e, r, then));
            }
        });
    }

    private void verify(MailEntry e, SealedMail.Opened opened, java.util.function.Consumer<Boolean> then) {
        verify(e, opened, then, false);
    }

    /**
     * Checks the signature with the sender's pinned key; if that fails, once with the key the
     * registry has now (the sender may have reinstalled: its new key is then pinned and reported).
     */
    private void verify(MailEntry e, SealedMail.Opened opened, java.util.function.Consumer<Boolean> then, boolean current) {
        String sender = opened.mail.sender();
        java.util.function.Consumer<java.util.function.Consumer<IdentityBundle>> source = current
                ? c -> identity.currentBundleOf(sender, c) : c -> identity.bundleOf(sender, c);
        source.accept(bundle -> {
            if (bundle == null) {
                refuse(e, new SealedMail.Rejected(SealedMail.Rejection.BAD_SIGNATURE, sender + " has no identity to check the signature with"), then);
                return;
            }
            worker.offer(() -> {
                try {
                    SealedMail.verify(opened, bundle.signingKey());
                    loop.execute(() -> accept(opened.mail, bundle, then));
                } catch (SealedMail.Rejected r) {
                    loop.execute(() -> {
                        if (current) {
                            refuse(e, r, then);
                        } else {
                            verify(e, opened, then, true);
                        }
                    });
                }
            });
        });
    }

    private void accept(SealedMail.Mail m, IdentityBundle senderBundle, java.util.function.Consumer<Boolean> then) {
        if (m.kind() == SealedMail.KIND_RECEIPT) {
            mailroom.counters.countAccepted();
            mailroom.receiptFrom(m.sender(), m.deliveredId(), then);
            return;
        }
        if (m.kind() == SealedMail.KIND_GROUP && groups != null) {
            mailroom.counters.countAccepted();
            groups.accept(m, taken -> {
                if (taken == GroupMail.Taken.STORED) {
                    // As for a text: the page is acknowledged only once this receipt is settled.
                    int gen = generation;
                    receiptsOut++;
                    mailroom.sendReceipt(m.sender(), m.id(), senderBundle, sent -> receiptSettled(gen, sent));
                }
                then.accept(taken != GroupMail.Taken.RETRY);
            });
            return;
        }
        String text = m.text();
        storage.read(s -> s.addIncomingIfNew(m.id(), m.sender(), text, m.sentAt()), isNew -> {
            if (isNew) {
                mailroom.counters.countAccepted();
                sink.emit(new MessageEvents.Message(m.sender(), m.id(), text, m.sentAt()));
            } else {
                long n = mailroom.counters.rejected(SealedMail.Rejection.REPLAY);
                log.info("mail {} from {} is already in the history: not shown again ({} replays)", m.id(), m.sender(), n);
                sink.emit(new ConsoleEvents.Info("a sealed message from " + m.sender() + " (#" + m.id()
                        + ") is already in the history: not shown again (replay; " + n + " so far)"));
            }
            // Stored now (or before): tell the sender, even for a repeat whose receipt may have been lost.
            int gen = generation;
            receiptsOut++;
            mailroom.sendReceipt(m.sender(), m.id(), senderBundle, sent -> receiptSettled(gen, sent));
            then.accept(true);
        }, err -> then.accept(false));
    }

    /** One receipt of the current page is settled: {@code sent}, or held back until the mail comes again. */
    private void receiptSettled(int gen, boolean sent) {
        if (gen != generation) {
            return;
        }
        receiptsOut--;
        receiptHeldBack |= !sent;
        if (receiptsOut == 0 && afterReceipts != null) {
            Runnable ack = afterReceipts;
            afterReceipts = null;
            ack.run();
        }
    }

    private void refuse(MailEntry e, SealedMail.Rejected r, java.util.function.Consumer<Boolean> then) {
        long n = mailroom.counters.rejected(r.reason);
        log.warn("refused mailbox entry {}: {} ({} refused for {} so far)", e.sequence(), r.getMessage(), n, r.reason);
        sink.emit(new ConsoleEvents.Info("refused a sealed message from the mailbox: " + r.getMessage()
                + " (" + r.reason.name().toLowerCase(java.util.Locale.ROOT) + "; " + n + " so far)"));
        then.accept(true);
    }
}
