package parley.server.registry;

import parley.server.store.RegistryWrites;

import parley.server.auth.ScramCredentials;
import parley.server.policy.Visibility;
import parley.server.store.AccountRecord;
import parley.server.store.Completion;
import parley.server.store.StorageFailure;

import java.util.ArrayList;
import java.util.List;

/**
 * The registry's writes, completed at once and kept in memory: what the harness runs instead of
 * SQLite. Each write is recorded, and {@link #failNext} makes the next one fail as a storage
 * error would. 
 */
final class MemoryStore implements RegistryWrites {
    final List<String> writes = new ArrayList<>();
    private long nextId = 1;
    private StorageFailure failNext;

    /** The next write fails with {@code e} instead of being made. */
    void failNext(StorageFailure e) {
        failNext = e;
    }

    private <T> void done(String what, T value, Completion<T> done) {
        StorageFailure e = failNext;
        failNext = null;
        if (e != null) {
            done.complete(null, e);
            return;
        }
        writes.add(what);
        done.complete(value, null);
    }

    @Override
    public void createAccount(String username, String usernameKey, ScramCredentials credentials, Visibility visibility,
                              long createdAtMillis, Completion<AccountRecord> done) {
        done("account " + usernameKey, new AccountRecord(nextId++, username, usernameKey, credentials, visibility, createdAtMillis), done);
    }

    @Override
    public void createAccount(String username, String usernameKey, ScramCredentials credentials, Visibility visibility,
                              byte[] identity, long createdAtMillis, Completion<AccountRecord> done) {
        done("account " + usernameKey + (identity == null ? "" : " with identity"),
                new AccountRecord(nextId++, username, usernameKey, credentials, visibility, createdAtMillis), done);
    }

    @Override
    public void setIdentity(long accountId, byte[] bundle, long atMillis, Completion<Boolean> done) {
        done("identity " + accountId, true, done);
    }

    @Override
    public void setVisibility(long accountId, Visibility visibility, Completion<Boolean> done) {
        done("visibility " + accountId + " " + visibility, true, done);
    }

    @Override
    public void addContactRequest(long from, long to, long createdAtMillis, Completion<Boolean> done) {
        done("request " + from + " " + to, true, done);
    }

    @Override
    public void removeContactRequest(long from, long to, Completion<Boolean> done) {
        done("unrequest " + from + " " + to, true, done);
    }

    @Override
    public void acceptContactRequest(long from, long to, long createdAtMillis, Completion<Boolean> done) {
        done("accept " + from + " " + to, true, done);
    }

    @Override
    public void removeContact(long a, long b, Completion<Boolean> done) {
        done("uncontact " + a + " " + b, true, done);
    }

    @Override
    public void block(long blocker, long blocked, long createdAtMillis, Completion<Boolean> done) {
        done("block " + blocker + " " + blocked, true, done);
    }

    @Override
    public void unblock(long blocker, long blocked, Completion<Boolean> done) {
        done("unblock " + blocker + " " + blocked, true, done);
    }
}
