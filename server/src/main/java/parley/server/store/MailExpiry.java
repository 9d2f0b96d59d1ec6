package parley.server.store;

import java.util.List;

/**
 * What one expiry pass did in its transaction: per mailbox, what it removed ({@code removed},
 * positive counts) and the EXPIRED notices it added ({@code notices}, one per notice, 0 bytes);
 * {@code more} when it stopped at its limit with expired entries left.
 */
public record MailExpiry(List<MailboxUsage> removed, List<MailboxUsage> notices, boolean more) {
}
