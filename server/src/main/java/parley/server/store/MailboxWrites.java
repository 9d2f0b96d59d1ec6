package parley.server.store;

import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The mailbox operations of {@link MailboxStore}, asynchronously: each completes on the loop once
 * its transaction has committed (reads too, so the loop never touches the database).
 * {@link GroupCommitter} is the production one.
 */
public interface MailboxWrites {
    void mailDeposit(long sender, long recipient, long messageId, long depositedAtMillis, long expiresAtMillis,
                     byte[] blob, boolean mayInsert, Completion<MailDepositResult> done);

    void mailFetch(long recipient, long afterSequence, int maxEntries, int budget, ToIntFunction<MailRow> cost,
                   Completion<MailPageRows> done);

    void mailAck(long recipient, long upToSequence, Completion<MailboxUsage> done);

    void mailExpire(long nowMillis, long noticeTtlMillis, int limit, Completion<MailExpiry> done);

    void mailUsage(Completion<List<MailboxUsage>> done);
}
