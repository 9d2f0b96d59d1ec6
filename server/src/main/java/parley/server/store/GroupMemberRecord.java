package parley.server.store;

/** One row of {@code group_members}: an account's role in a group (section 7.12 role codes) since when. */
public record GroupMemberRecord(byte[] groupId, long account, int role, long sinceMillis) {
}
