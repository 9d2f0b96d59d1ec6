package parley.server.registry;

import parley.server.auth.ScramCredentials;
import parley.server.policy.Visibility;
import parley.server.store.AccountRecord;
import parley.server.store.Completion;
import parley.server.store.GroupCommitter;

/**
 * The writes the registry's rules make, with the very signatures {@link GroupCommitter} has: each
 * completes on the loop once durable. {@link #of} is the group-committed store (SQLite by
 * default); the in-memory harness completes at once. The rules see only these writes, never the
 * store's blocking {@code RegistryStore} interface, which runs on the committer's thread.
 */
interface StoreOps {
    void createAccount(String username, String usernameKey, ScramCredentials credentials, Visibility visibility,
                       long createdAtMillis, Completion<AccountRecord> done);

    void setVisibility(long accountId, Visibility visibility, Completion<Boolean> done);

    void addContactRequest(long from, long to, long createdAtMillis, Completion<Boolean> done);

    void removeContactRequest(long from, long to, Completion<Boolean> done);

    void acceptContactRequest(long from, long to, long createdAtMillis, Completion<Boolean> done);

    void removeContact(long a, long b, Completion<Boolean> done);

    void block(long blocker, long blocked, long createdAtMillis, Completion<Boolean> done);

    void unblock(long blocker, long blocked, Completion<Boolean> done);

    static StoreOps of(GroupCommitter s) {
        return new StoreOps() {
            @Override
            public void createAccount(String username, String usernameKey, ScramCredentials credentials,
                                      Visibility visibility, long createdAtMillis, Completion<AccountRecord> done) {
                s.createAccount(username, usernameKey, credentials, visibility, createdAtMillis, done);
            }

            @Override
            public void setVisibility(long accountId, Visibility visibility, Completion<Boolean> done) {
                s.setVisibility(accountId, visibility, done);
            }

            @Override
            public void addContactRequest(long from, long to, long createdAtMillis, Completion<Boolean> done) {
                s.addContactRequest(from, to, createdAtMillis, done);
            }

            @Override
            public void removeContactRequest(long from, long to, Completion<Boolean> done) {
                s.removeContactRequest(from, to, done);
            }

            @Override
            public void acceptContactRequest(long from, long to, long createdAtMillis, Completion<Boolean> done) {
                s.acceptContactRequest(from, to, createdAtMillis, done);
            }

            @Override
            public void removeContact(long a, long b, Completion<Boolean> done) {
                s.removeContact(a, b, done);
            }

            @Override
            public void block(long blocker, long blocked, long createdAtMillis, Completion<Boolean> done) {
                s.block(blocker, blocked, createdAtMillis, done);
            }

            @Override
            public void unblock(long blocker, long blocked, Completion<Boolean> done) {
                s.unblock(blocker, blocked, done);
            }
        };
    }
}
