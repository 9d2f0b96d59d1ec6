package parley.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The groups' SQL on the registry's SQLite connection ({@link SqliteStore#groups}). Statements
 * are prepared once; this runs on the one storage thread inside the group commit's transaction,
 * so the durability of every change is the batch's COMMIT.
 */
final class SqliteGroups implements GroupStore {
    private static final int ROLE_OWNER = 1;
    private final PreparedStatement insertGroup;
    private final PreparedStatement setVersion;
    private final PreparedStatement upsertMember;
    private final PreparedStatement deleteMember;
    private final PreparedStatement deleteMembers;
    private final PreparedStatement deleteGroup;
    private final PreparedStatement allGroups;
    private final PreparedStatement allMembers;

    SqliteGroups(Connection c) throws SQLException {
        insertGroup = c.prepareStatement("INSERT INTO groups(id, name, name_key, version, created_at) VALUES (?,?,?,?,?)");
        setVersion = c.prepareStatement("UPDATE groups SET version = ? WHERE id = ?");
        upsertMember = c.prepareStatement("INSERT INTO group_members(group_id, account, role, since) VALUES (?,?,?,?)"
                + " ON CONFLICT(group_id, account) DO UPDATE SET role = excluded.role");
        deleteMember = c.prepareStatement("DELETE FROM group_members WHERE group_id = ? AND account = ?");
        deleteMembers = c.prepareStatement("DELETE FROM group_members WHERE group_id = ?");
        deleteGroup = c.prepareStatement("DELETE FROM groups WHERE id = ?");
        allGroups = c.prepareStatement("SELECT id, name, name_key, version, created_at FROM groups ORDER BY created_at, id");
        allMembers = c.prepareStatement("SELECT group_id, account, role, since FROM group_members ORDER BY since, account");
    }

    @Override
    public void create(GroupRecord g, long owner) throws StorageFailure {
        try {
            insertGroup.setBytes(1, g.id());
            insertGroup.setString(2, g.name());
            insertGroup.setString(3, g.nameKey());
            insertGroup.setLong(4, g.version());
            insertGroup.setLong(5, g.createdAtMillis());
            insertGroup.executeUpdate();
            member(g.id(), owner, ROLE_OWNER, g.createdAtMillis());
        } catch (SQLException e) {
            throw SqliteFailures.translate(e);
        }
    }

    @Override
    public boolean change(GroupChange c) throws StorageFailure {
        try {
            if (c.dissolve()) {
                deleteMembers.setBytes(1, c.groupId());
                deleteMembers.executeUpdate();
                deleteGroup.setBytes(1, c.groupId());
                return deleteGroup.executeUpdate() == 1;
            }
            setVersion.setLong(1, c.version());
            setVersion.setBytes(2, c.groupId());
            if (setVersion.executeUpdate() != 1) {
                return false;
            }
            for (int i = 0; i < c.accounts().length; i++) {
                if (c.roles()[i] == 0) {
                    deleteMember.setBytes(1, c.groupId());
                    deleteMember.setLong(2, c.accounts()[i]);
                    deleteMember.executeUpdate();
                } else {
                    member(c.groupId(), c.accounts()[i], c.roles()[i], c.atMillis());
                }
            }
            return true;
        } catch (SQLException e) {
            throw SqliteFailures.translate(e);
        }
    }

    private void member(byte[] group, long account, int role, long since) throws SQLException {
        upsertMember.setBytes(1, group);
        upsertMember.setLong(2, account);
        upsertMember.setInt(3, role);
        upsertMember.setLong(4, since);
        upsertMember.executeUpdate();
    }

    @Override
    public GroupRows loadAll() throws StorageFailure {
        List<GroupRecord> groups = new ArrayList<>();
        List<GroupMemberRecord> members = new ArrayList<>();
        try {
            try (ResultSet rs = allGroups.executeQuery()) {
                while (rs.next()) {
                    groups.add(new GroupRecord(rs.getBytes(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5)));
                }
            }
            try (ResultSet rs = allMembers.executeQuery()) {
                while (rs.next()) {
                    members.add(new GroupMemberRecord(rs.getBytes(1), rs.getLong(2), rs.getInt(3), rs.getLong(4)));
                }
            }
        } catch (SQLException e) {
            throw SqliteFailures.translate(e);
        }
        return new GroupRows(groups, members);
    }

    void close() throws SQLException {
        for (PreparedStatement p : new PreparedStatement[] {insertGroup, setVersion, upsertMember, deleteMember, deleteMembers,
                deleteGroup, allGroups, allMembers}) {
            p.close();
        }
    }
}
