package parley.server.store;

import parley.server.auth.ScramCredentials;
import parley.server.policy.Visibility;

/** One row of {@code accounts}: the name as registered, its case-folded key, SCRAM keys, visibility. */
public record AccountRecord(long id, String username, String usernameKey, ScramCredentials credentials,
                            Visibility visibility, long createdAtMillis) {
}
