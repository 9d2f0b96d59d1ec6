package parley.server.store;

/** One row of {@code identities}: an account's identity bundle (128 bytes, section 7.9 of PROTOCOL.md). */
public record IdentityRecord(long accountId, byte[] bundle) {
}
