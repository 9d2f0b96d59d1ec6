package parley.server.store;

import java.util.List;

/** A page of one mailbox, in increasing sequence; {@code more} when entries remain after it. */
public record MailPageRows(boolean more, List<MailRow> rows) {
}
