package parley.server.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The database schema as an ordered list of migrations. {@code PRAGMA user_version} holds the
 * number of migrations applied; each migration runs in its own transaction together with the
 * version bump, so a crash leaves the schema at a whole version. Never edit a released migration:
 * append a new one.
 */
final class Schema {
    static final String[][] MIGRATIONS = {
        // 1: the registry's tables.
        {
            "CREATE TABLE accounts ("
                + " id INTEGER PRIMARY KEY,"
                + " username TEXT NOT NULL,"
                + " username_key TEXT NOT NULL UNIQUE,"
                + " salt BLOB NOT NULL,"
                + " iterations INTEGER NOT NULL,"
                + " stored_key BLOB NOT NULL,"
                + " server_key BLOB NOT NULL,"
                + " visibility INTEGER NOT NULL,"
                + " created_at INTEGER NOT NULL)",
            "CREATE TABLE contacts ("
                + " low INTEGER NOT NULL REFERENCES accounts(id),"
                + " high INTEGER NOT NULL REFERENCES accounts(id),"
                + " created_at INTEGER NOT NULL,"
                + " PRIMARY KEY (low, high),"
                + " CHECK (low < high))",
            "CREATE TABLE contact_requests ("
                + " from_id INTEGER NOT NULL REFERENCES accounts(id),"
                + " to_id INTEGER NOT NULL REFERENCES accounts(id),"
                + " created_at INTEGER NOT NULL,"
                + " PRIMARY KEY (from_id, to_id),"
                + " CHECK (from_id <> to_id))",
            "CREATE TABLE blocks ("
                + " blocker INTEGER NOT NULL REFERENCES accounts(id),"
                + " blocked INTEGER NOT NULL REFERENCES accounts(id),"
                + " created_at INTEGER NOT NULL,"
                + " PRIMARY KEY (blocker, blocked),"
                + " CHECK (blocker <> blocked))",
            "CREATE TABLE server_meta (name TEXT PRIMARY KEY, value BLOB NOT NULL)",
        },
        // 2: lookups by the receiving side ("requests to me", "who blocked me").
        {
            "CREATE INDEX contact_requests_to ON contact_requests(to_id)",
            "CREATE INDEX blocks_blocked ON blocks(blocked)",
        },
        // 3: the mailbox (PROTOCOL.md 7.10). sender is NULL on EXPIRED notices, which the
        // registry writes; about is the recipient's name on those notices.
        {
            "CREATE TABLE mailbox ("
                + " recipient INTEGER NOT NULL REFERENCES accounts(id),"
                + " seq INTEGER NOT NULL,"
                + " sender INTEGER REFERENCES accounts(id),"
                + " message_id INTEGER NOT NULL,"
                + " deposited_at INTEGER NOT NULL,"
                + " expires_at INTEGER NOT NULL,"
                + " kind INTEGER NOT NULL,"
                + " blob BLOB,"
                + " about TEXT,"
                + " PRIMARY KEY (recipient, seq),"
                + " UNIQUE (sender, recipient, message_id),"
                + " CHECK ((kind = 1 AND sender IS NOT NULL AND blob IS NOT NULL AND about IS NULL)"
                + "     OR (kind = 2 AND sender IS NULL AND blob IS NULL AND about IS NOT NULL)))",
            "CREATE INDEX mailbox_expiry ON mailbox(expires_at)",
            "CREATE TABLE mailbox_seq ("
                + " recipient INTEGER PRIMARY KEY REFERENCES accounts(id),"
                + " last_seq INTEGER NOT NULL)",
        },
        // 4: identity bundles (issue 13). A table of its own, so accounts made before it simply
        // have no row: their peers send SET_IDENTITY at their next login.
        {
            "CREATE TABLE identities ("
                + " account INTEGER PRIMARY KEY REFERENCES accounts(id),"
                + " bundle BLOB NOT NULL CHECK (length(bundle) = 128),"
                + " updated_at INTEGER NOT NULL)",
        },
        // 5: groups (issue 14, PROTOCOL.md 7.12). Roles: 1 owner, 2 admin, 3 member, 4 invitee.
        {
            "CREATE TABLE groups ("
                + " id BLOB PRIMARY KEY CHECK (length(id) = 16),"
                + " name TEXT NOT NULL,"
                + " name_key TEXT NOT NULL UNIQUE,"
                + " version INTEGER NOT NULL,"
                + " created_at INTEGER NOT NULL)",
            "CREATE TABLE group_members ("
                + " group_id BLOB NOT NULL REFERENCES groups(id),"
                + " account INTEGER NOT NULL REFERENCES accounts(id),"
                + " role INTEGER NOT NULL CHECK (role BETWEEN 1 AND 4),"
                + " since INTEGER NOT NULL,"
                + " PRIMARY KEY (group_id, account))",
            "CREATE INDEX group_members_account ON group_members(account)",
        },
    };

    static final int LATEST = MIGRATIONS.length;

    private Schema() {
    }

    static int version(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /** Applies the migrations after the current version up to {@code target}. Autocommit connection. */
    static void migrate(Connection c, int target) throws SQLException {
        int current = version(c);
        if (current > LATEST) {
            throw new SQLException("database schema version " + current
                    + " is newer than this server understands (" + LATEST + ")");
        }
        for (int v = current + 1; v <= target; v++) {
            try (Statement s = c.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                try {
                    for (String sql : MIGRATIONS[v - 1]) {
                        s.execute(sql);
                    }
                    s.execute("PRAGMA user_version = " + v);
                    s.execute("COMMIT");
                } catch (SQLException e) {
                    s.execute("ROLLBACK");
                    throw e;
                }
            }
        }
    }
}
