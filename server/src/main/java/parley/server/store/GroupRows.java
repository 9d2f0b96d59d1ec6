package parley.server.store;

import java.util.List;

/** Every group and membership row, read at startup into the registry's memory. */
public record GroupRows(List<GroupRecord> groups, List<GroupMemberRecord> members) {
    public static final GroupRows EMPTY = new GroupRows(List.of(), List.of());
}
