package parley.server.store;

import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The mailbox's SQL (PROTOCOL.md 7.10) as blocking calls on the storage thread, inside the
 * transaction the {@link GroupCommitter} has open: no threads, no completions. Blobs are opaque:
 * stored and returned byte for byte.
 */
public interface MailboxStore {
    /**
     * Stores a SEALED entry for {@code recipient} with the recipient's next sequence, unless one
     * from {@code sender} with {@code messageId} is there already (then answers that one, storing
     * nothing). With {@code mayInsert} false (the registry found the mailbox full) it only looks
     * for the repeat, and answers null when there is none.
     */
    MailDepositResult deposit(long sender, long recipient, long messageId, long depositedAtMillis, long expiresAtMillis,
                              byte[] blob, boolean mayInsert) throws StorageFailure;

    /**
     * Up to {@code maxEntries} of {@code recipient}'s entries after {@code afterSequence}, in
     * order, while the sum of {@code cost} over them stays within {@code budget} (the first always
     * goes in).
     */
    MailPageRows fetch(long recipient, long afterSequence, int maxEntries, int budget, ToIntFunction<MailRow> cost)
            throws StorageFailure;

    /** Deletes {@code recipient}'s entries with a sequence at most {@code upToSequence}; answers what went. */
    MailboxUsage ack(long recipient, long upToSequence) throws StorageFailure;

    /**
     * Deletes up to {@code limit} entries whose expiry is at or before {@code nowMillis}; for each
     * SEALED one puts an EXPIRED notice (recipient's name, message id) in its sender's mailbox,
     * expiring {@code noticeTtlMillis} after now. All in the caller's transaction.
     */
    MailExpiry expire(long nowMillis, long noticeTtlMillis, int limit) throws StorageFailure;

    /** Entries and bytes of every non-empty mailbox: the registry's quota counters at startup. */
    List<MailboxUsage> usage() throws StorageFailure;
}
