package parley.peer.core;

import parley.peer.group.GroupRoster;
import parley.peer.group.GroupTimeline;

import java.util.HashMap;
import java.util.Map;

/**
 * One group as this member holds it (issue 14): the registry's id and name, our role, the
 * membership to fan out to ({@link GroupRoster}) and the ordered history ({@link GroupTimeline}),
 * plus, for our own messages of this run, how many members each reached (the store keeps the count
 * across runs: {@link parley.peer.store.GroupCopyLog}). Loop thread only.
 */
final class GroupState {
    final byte[] id;
    final String name;
    int role;
    final GroupRoster roster;
    final GroupTimeline timeline = new GroupTimeline();
    /** Our message id to the members who have it (delivered), for /history's "reached". */
    final Map<Long, Integer> reached = new HashMap<>();
    /** The stored history is loaded into the timeline: messages may be taken. */
    boolean loaded;
    /** A roster fetch is due before the next send (a GROUP_CHANGED skipped a version). */
    boolean stale;

    GroupState(byte[] id, String name, int role, String self) {
        this.id = id;
        this.name = name;
        this.role = role;
        this.roster = new GroupRoster(self);
    }

    static String key(byte[] id) {
        return java.util.HexFormat.of().formatHex(id);
    }
}
