package parley.peer.store;

/**
 * A contact's pinned identity (PROTOCOL.md 7.9): the 128-byte bundle first seen for them, whether
 * the user confirmed its safety number, and whether it replaced an earlier one the user has not
 * confirmed since (what {@code --strict-identity} holds sending for).
 */
public record IdentityPin(String user, byte[] bundle, boolean verified, boolean changed) {
}
