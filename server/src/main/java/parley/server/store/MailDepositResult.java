package parley.server.store;

/**
 * What a deposit did: {@code stored} when a new entry was written (with its sequence and expiry),
 * false when the same (sender, recipient, message id) was already there, whose sequence and
 * expiry these are. A deposit refused for quota that was not a repeat completes with null.
 */
public record MailDepositResult(boolean stored, long sequence, long expiresAtMillis) {
}
