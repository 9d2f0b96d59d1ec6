package parley.server.store;

import parley.server.auth.ScramCredentials;
import parley.server.policy.Visibility;

/**
 * The writes the registry's rules make, each completed on the loop once durable (or failed with a
 * {@link StorageFailure}, nothing changed). {@link GroupCommitter} is the production one: it runs a
 * blocking {@link RegistryStore} on its own thread and commits in groups. The registry's in-memory
 * test harness completes at once. The rules see only these writes, never the blocking store.
 */
public interface RegistryWrites {
    void createAccount(String username, String usernameKey, ScramCredentials credentials, Visibility visibility,
                       long createdAtMillis, Completion<AccountRecord> done);

    /** Creates the account and stores its identity bundle in one transaction (null bundle: none). */
    void createAccount(String username, String usernameKey, ScramCredentials credentials, Visibility visibility,
                       byte[] identity, long createdAtMillis, Completion<AccountRecord> done);

    /** Stores or replaces an account's identity bundle (128 bytes, already verified). */
    /**
     * Everything stored, read again: a cluster node back from a bus cut re-reads the shared
     * store before it serves (ClusterResync). A store that cannot fails it.
     */
    default void loadAll(Completion<Snapshot> done) {
        done.complete(null, new StorageFailure(StorageFailure.Kind.OTHER, "this store cannot be read again"));
    }

    /** The account whose name key is {@code usernameKey}, or null (cluster mode: a login on a shared store). */
    default void loadAccount(String usernameKey, Completion<AccountRecord> done) {
        done.complete(null, null);
    }

    void setIdentity(long accountId, byte[] bundle, long atMillis, Completion<Boolean> done);

    void setVisibility(long accountId, Visibility visibility, Completion<Boolean> done);

    void addContactRequest(long from, long to, long createdAtMillis, Completion<Boolean> done);

    void removeContactRequest(long from, long to, Completion<Boolean> done);

    void acceptContactRequest(long from, long to, long createdAtMillis, Completion<Boolean> done);

    void removeContact(long a, long b, Completion<Boolean> done);

    void block(long blocker, long blocked, long createdAtMillis, Completion<Boolean> done);

    void unblock(long blocker, long blocked, Completion<Boolean> done);
}
