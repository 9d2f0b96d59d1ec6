package parley.server.store;

/** A pending contact request from one account to another. */
public record ContactRequestRecord(long from, long to, long createdAtMillis) {
}
