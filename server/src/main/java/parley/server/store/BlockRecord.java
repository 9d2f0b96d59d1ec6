package parley.server.store;

/** {@code blocker} has blocked {@code blocked}. */
public record BlockRecord(long blocker, long blocked) {
}
