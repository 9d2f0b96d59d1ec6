package parley.server.store;

/** One row of {@code groups} (PROTOCOL.md 7.12): 16-byte id, name as created, its key, membership version. */
public record GroupRecord(byte[] id, String name, String nameKey, long version, long createdAtMillis) {
}
