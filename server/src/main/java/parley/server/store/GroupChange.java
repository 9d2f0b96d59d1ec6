package parley.server.store;

/**
 * One membership change of a group, written in one savepoint: the group's new version, and for
 * each account in {@code accounts} its new role ({@code roles[i]}, 0 = removed). Several rows move
 * together when, say, the owner leaves and an admin becomes owner. {@code dissolve} deletes the
 * group and every row of it instead (the last member left).
 */
public record GroupChange(byte[] groupId, long version, long[] accounts, int[] roles, long atMillis, boolean dissolve) {
    /** One account's new role (0 = removed). */
    public static GroupChange one(byte[] groupId, long version, long account, int role, long atMillis) {
        return new GroupChange(groupId, version, new long[] {account}, new int[] {role}, atMillis, false);
    }
}
