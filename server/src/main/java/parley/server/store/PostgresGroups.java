package parley.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The groups' SQL on PostgreSQL ({@link PostgresStore#groups}), inside the group commit's
 * transaction ({@link PostgresTransaction}); answers exactly as {@link SqliteGroups} does, over the
 * tables of migration {@code V2__groups.sql}.
 */
final class PostgresGroups implements GroupStore {
    private static final int ROLE_OWNER = 1;
    private static final String INSERT_GROUP =
            "INSERT INTO groups(id, name, name_key, version, created_at) VALUES (?,?,?,?,?)";
    private static final String SET_VERSION = "UPDATE groups SET version = ? WHERE id = ?";
    private static final String UPSERT_MEMBER = "INSERT INTO group_members(group_id, account, role, since) VALUES (?,?,?,?)"
            + " ON CONFLICT (group_id, account) DO UPDATE SET role = excluded.role";
    private static final String DELETE_MEMBER = "DELETE FROM group_members WHERE group_id = ? AND account = ?";
    private static final String DELETE_MEMBERS = "DELETE FROM group_members WHERE group_id = ?";
    private static final String DELETE_GROUP = "DELETE FROM groups WHERE id = ?";
    private static final String ALL_GROUPS = "SELECT id, name, name_key, version, created_at FROM groups ORDER BY created_at, id";
    private static final String ALL_MEMBERS = "SELECT group_id, account, role, since FROM group_members ORDER BY since, account";

    private final PostgresTransaction tx;

    PostgresGroups(PostgresTransaction tx) {
        this.tx = tx;
    }

    @Override
    public void create(GroupRecord g, long owner) throws StorageFailure {
        tx.run(c -> {
            PostgresStore.update(c, INSERT_GROUP, g.id(), g.name(), g.nameKey(), g.version(), g.createdAtMillis());
            return PostgresStore.update(c, UPSERT_MEMBER, g.id(), owner, ROLE_OWNER, g.createdAtMillis());
        });
    }

    @Override
    public boolean change(GroupChange ch) throws StorageFailure {
        return tx.run(c -> {
            if (ch.dissolve()) {
                PostgresStore.update(c, DELETE_MEMBERS, (Object) ch.groupId());
                return PostgresStore.update(c, DELETE_GROUP, (Object) ch.groupId()) == 1;
            }
            if (PostgresStore.update(c, SET_VERSION, ch.version(), ch.groupId()) != 1) {
                return false;
            }
            for (int i = 0; i < ch.accounts().length; i++) {
                if (ch.roles()[i] == 0) {
                    PostgresStore.update(c, DELETE_MEMBER, ch.groupId(), ch.accounts()[i]);
                } else {
                    PostgresStore.update(c, UPSERT_MEMBER, ch.groupId(), ch.accounts()[i], ch.roles()[i], ch.atMillis());
                }
            }
            return true;
        });
    }

    @Override
    public GroupRows loadAll() throws StorageFailure {
        return tx.run(PostgresGroups::loadAll);
    }

    private static GroupRows loadAll(Connection c) throws SQLException {
        List<GroupRecord> groups = new ArrayList<>();
        List<GroupMemberRecord> members = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(ALL_GROUPS); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                groups.add(new GroupRecord(rs.getBytes(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5)));
            }
        }
        try (PreparedStatement p = c.prepareStatement(ALL_MEMBERS); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                members.add(new GroupMemberRecord(rs.getBytes(1), rs.getLong(2), rs.getInt(3), rs.getLong(4)));
            }
        }
        return new GroupRows(groups, members);
    }
}
