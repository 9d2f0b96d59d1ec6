package parley.server.store;

import parley.server.policy.Visibility;

/**
 * The writes of visibility, contacts, requests, blocks and identity bundles, in the one SQL dialect
 * that SQLite and PostgreSQL both accept ({@code ON CONFLICT}, {@code excluded}), so the two stores
 * cannot drift apart on what a change means. Each store passes its own way of running a statement
 * ({@link Exec}): SQLite on its one connection, PostgreSQL inside its open transaction.
 */
final class RelationSql {
    /** Runs one statement with its arguments; answers the rows changed. */
    interface Exec {
        int run(String sql, Object... args) throws StorageFailure;
    }

    private RelationSql() {
    }

    static boolean setVisibility(Exec x, long accountId, Visibility visibility) throws StorageFailure {
        return x.run("UPDATE accounts SET visibility = ? WHERE id = ?", visibility.code(), accountId) > 0;
    }

    static boolean addContactRequest(Exec x, long from, long to, long createdAtMillis) throws StorageFailure {
        return x.run("INSERT INTO contact_requests(from_id, to_id, created_at) VALUES (?,?,?) ON CONFLICT DO NOTHING",
                from, to, createdAtMillis) > 0;
    }

    static boolean removeContactRequest(Exec x, long from, long to) throws StorageFailure {
        return x.run("DELETE FROM contact_requests WHERE from_id = ? AND to_id = ?", from, to) > 0;
    }

    static boolean addContact(Exec x, long a, long b, long createdAtMillis) throws StorageFailure {
        ContactPair pair = ContactPair.of(a, b);
        return x.run("INSERT INTO contacts(low, high, created_at) VALUES (?,?,?) ON CONFLICT DO NOTHING",
                pair.low(), pair.high(), createdAtMillis) > 0;
    }

    static boolean acceptContactRequest(Exec x, long from, long to, long createdAtMillis) throws StorageFailure {
        x.run("DELETE FROM contact_requests WHERE (from_id = ? AND to_id = ?) OR (from_id = ? AND to_id = ?)",
                from, to, to, from);
        return addContact(x, from, to, createdAtMillis);
    }

    static boolean removeContact(Exec x, long a, long b) throws StorageFailure {
        ContactPair pair = ContactPair.of(a, b);
        return x.run("DELETE FROM contacts WHERE low = ? AND high = ?", pair.low(), pair.high()) > 0;
    }

    static boolean block(Exec x, long blocker, long blocked, long createdAtMillis) throws StorageFailure {
        // Not removeContact: a pair needs two different ids, and blocking oneself must reach the CHECK.
        x.run("DELETE FROM contacts WHERE low = ? AND high = ?", Math.min(blocker, blocked), Math.max(blocker, blocked));
        x.run("DELETE FROM contact_requests WHERE (from_id = ? AND to_id = ?) OR (from_id = ? AND to_id = ?)",
                blocker, blocked, blocked, blocker);
        return x.run("INSERT INTO blocks(blocker, blocked, created_at) VALUES (?,?,?) ON CONFLICT DO NOTHING",
                blocker, blocked, createdAtMillis) > 0;
    }

    static boolean unblock(Exec x, long blocker, long blocked) throws StorageFailure {
        return x.run("DELETE FROM blocks WHERE blocker = ? AND blocked = ?", blocker, blocked) > 0;
    }

    static boolean setIdentity(Exec x, long accountId, byte[] bundle, long atMillis) throws StorageFailure {
        return x.run("INSERT INTO identities(account, bundle, updated_at) SELECT id, ?, ? FROM accounts WHERE id = ?"
                + " ON CONFLICT (account) DO UPDATE SET bundle = excluded.bundle, updated_at = excluded.updated_at",
                bundle, atMillis, accountId) > 0;
    }
}
