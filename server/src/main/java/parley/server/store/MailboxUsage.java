package parley.server.store;

/**
 * Entries and sealed bytes in one account's mailbox, or a change to them (what an ack or an
 * expiry removed, what an expiry added). EXPIRED notices count as entries of 0 bytes.
 */
public record MailboxUsage(long account, int count, long bytes) {
}
