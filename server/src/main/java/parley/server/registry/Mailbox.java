package parley.server.registry;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.Header;
import parley.core.wire.MessageClass;
import parley.server.protocol.MailAck;
import parley.server.protocol.MailDeposit;
import parley.server.protocol.MailDepositReply;
import parley.server.protocol.MailEntry;
import parley.server.protocol.MailFetch;
import parley.server.protocol.MailPage;
import parley.server.protocol.MailWaiting;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;
import parley.server.store.MailPageRows;
import parley.server.store.MailRow;
import parley.server.store.MailboxWrites;

import java.nio.charset.StandardCharsets;
import java.util.function.ToIntFunction;

/**
 * The mailbox's requests (PROTOCOL.md 7.10): MAIL_DEPOSIT, MAIL_FETCH and MAIL_ACK, and the
 * MAIL_WAITING push. Who may deposit is the registry's single privacy decision
 * ({@link Presence#mailRecipientFor}, and {@link Presence#mailDiscardFor} for a co-member who
 * blocked the depositor: answered as stored, kept nowhere); the quota is decided on the loop ({@link MailQuotas}); the
 * database is reached only through {@link MailboxWrites}, whose completions come back on the loop,
 * and every answer is sent from such a completion, after the commit. Loop thread only.
 */
final class Mailbox {
    /** Bytes an entry takes in a MAIL_FETCH page: what the storage thread sums to fill a frame. */
    private static final ToIntFunction<MailRow> WIRE_BYTES = row -> row.kind() == MailRow.SEALED
            ? MailEntry.sealedBytes(row.blob().length)
            : MailEntry.expiredBytes(row.about().getBytes(StandardCharsets.UTF_8).length);

    private final Presence presence;
    private final Replies replies;
    private final MailboxWrites store;
    private final MailQuotas quotas;
    private java.util.function.Consumer<Account> elsewhere = a -> { };
    private final RegistryConfig config;
    /** Entry bytes one page may carry: the frame less its header and the page's head. */
    private final int pageBudget;

    Mailbox(Presence presence, Replies replies, MailboxWrites store, MailQuotas quotas, RegistryConfig config) {
        this.presence = presence;
        this.replies = replies;
        this.store = store;
        this.quotas = quotas;
        this.config = config;
        this.pageBudget = config.maxFrameLength - Header.LENGTH - MailPage.HEAD_BYTES;
    }

    void deposit(Session s, int correlation, BodyReader r) {
        MailDeposit d = MailDeposit.decode(r);
        Account me = s.account;
        Account to = presence.mailRecipientFor(me, d.recipient());
        long now = config.wallClockMillis.getAsLong();
        if (to == null && presence.mailDiscardFor(me, d.recipient()) != null) {
            // A co-member who blocked the sender: answered as a stored deposit, kept nowhere (7.12).
            MailDepositReply.write(replies.begin(s.link), now + config.mailboxTtlMillis);
            replies.respond(s.link, MessageClass.COMMAND, RegistryOpcodes.MAIL_DEPOSIT, correlation);
            return;
        }
        if (to == null) {
            // The same code and text as every "no such user": absent, blocked-by and non-contact alike.
            replies.error(s, correlation, RegistryErrors.NO_SUCH_USER, "no such user: " + d.recipient());
            return;
        }
        store(s, correlation, me, to, d, now, quotas.reserve(to.id, d.blob().length), true);
    }

    /**
     * Hands the deposit to storage, with a place in the quota ({@code reserved}) or, when the
     * mailbox looked full, only to look for a repeat. A deposit that found the mailbox full while
     * other deposits held places may find room once they are done (repeats give theirs back):
     * then it is tried once more, with a place, before MAILBOX_FULL is answered.
     */
    private void store(Session s, int correlation, Account me, Account to, MailDeposit d, long now, boolean reserved,
                       boolean mayRetry) {
        int size = d.blob().length;
        store.mailDeposit(me.id, to.id, d.messageId(), now, now + config.mailboxTtlMillis, d.blob(), reserved, (result, error) -> {
            boolean stored = error == null && result != null && result.stored();
            if (reserved && !stored) {
                quotas.remove(to.id, 1, size);
            }
            if (error != null) {
                replies.storageFailed(s, correlation, error);
                return;
            }
            if (result == null) {
                if (mayRetry && quotas.reserve(to.id, size)) {
                    store(s, correlation, me, to, d, now, true, false);
                } else {
                    replies.error(s, correlation, RegistryErrors.MAILBOX_FULL, "the mailbox of " + to.name + " is full");
                }
                return;
            }
            if (s.link.isOpen()) {
                MailDepositReply.write(replies.begin(s.link), result.expiresAtMillis());
                replies.respond(s.link, MessageClass.COMMAND, RegistryOpcodes.MAIL_DEPOSIT, correlation);
            }
            if (stored) {
                waiting(to);
                if (to.session == null) {
                    elsewhere.accept(to);
                }
            }
        });
    }

    /** Where mail stored for a user not logged in here is announced (ClusterAccounts: on its node). */
    void announceElsewhere(java.util.function.Consumer<Account> to) {
        this.elsewhere = to;
    }

    void fetch(Session s, int correlation, BodyReader r) {
        MailFetch f = MailFetch.decode(r);
        store.mailFetch(s.account.id, f.afterSequence(), f.maxEntries(), pageBudget, WIRE_BYTES, (page, error) -> {
            if (error != null) {
                replies.storageFailed(s, correlation, error);
                return;
            }
            if (s.link.isOpen()) {
                writePage(replies.begin(s.link), page);
                replies.respond(s.link, MessageClass.COMMAND, RegistryOpcodes.MAIL_FETCH, correlation);
            }
        });
    }

    private static void writePage(BodyWriter w, MailPageRows page) {
        MailPage.writeHead(w, page.more(), page.rows().size());
        for (MailRow row : page.rows()) {
            if (row.kind() == MailRow.SEALED) {
                MailEntry.writeSealed(w, row.sequence(), row.depositedAtMillis(), row.blob(), 0, row.blob().length);
            } else {
                MailEntry.writeExpired(w, row.sequence(), row.depositedAtMillis(), row.about(), row.messageId());
            }
        }
    }

    void ack(Session s, int correlation, BodyReader r) {
        MailAck a = MailAck.decode(r);
        long account = s.account.id;
        store.mailAck(account, a.upToSequence(), replies.committedValue(s, correlation, gone -> {
            quotas.remove(account, gone.count(), gone.bytes());
            replies.ok(s, RegistryOpcodes.MAIL_ACK, correlation);
        }));
    }

    /** Tells {@code a}, if logged in, how many entries wait in its mailbox. */
    void waiting(Account a) {
        Session s = a.session;
        if (s == null || !s.link.isOpen()) {
            return;
        }
        MailWaiting.write(replies.begin(s.link), quotas.count(a.id));
        replies.push(s.link, RegistryOpcodes.MAIL_WAITING);
    }
}
