package parley.peer.group;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The membership of one group as this member last learned it from the registry (PROTOCOL.md 7.12,
 * 9.3.2): names and roles at a membership version. A sender fans out to {@link #recipients} of
 * the highest version it holds, and asks {@link #isMember} again just before each copy leaves, so
 * a member removed while a message is still queued for it gets nothing sent after the removal.
 * A GROUP_CHANGED push older than what is held is ignored; one that skips a version means a
 * change was missed, and {@link #apply} says the roster must be fetched again (GROUP_MEMBERS).
 */
public final class GroupRoster {
    public static final int ROLE_NONE = 0;
    public static final int ROLE_INVITEE = 4;

    /** What a push did to the roster. */
    public enum Applied { APPLIED, STALE, REFRESH }

    private final String self;
    private final Map<String, Integer> roles = new LinkedHashMap<>();
    private long version;

    /** {@code self}: this member's own name, lower case; never a recipient. */
    public GroupRoster(String self) {
        this.self = self;
    }

    /** Replaces the whole roster with a GROUP_MEMBERS answer (names lower case). */
    public void reset(long atVersion, Map<String, Integer> members) {
        roles.clear();
        roles.putAll(members);
        version = atVersion;
    }

    /** Applies a GROUP_CHANGED push: the user's role after the change (0: gone) at {@code atVersion}. */
    public Applied apply(long atVersion, String user, int role) {
        if (atVersion <= version) {
            return Applied.STALE;
        }
        boolean skipped = atVersion > version + 1;
        if (role == ROLE_NONE) {
            roles.remove(user);
        } else {
            roles.put(user, role);
        }
        version = atVersion;
        return skipped ? Applied.REFRESH : Applied.APPLIED;
    }

    public long version() {
        return version;
    }

    /** True if {@code user} has joined (owner, admin or member), not merely been invited. */
    public boolean isMember(String user) {
        Integer r = roles.get(user);
        return r != null && r != ROLE_INVITEE;
    }

    /** The members to fan a message out to: everyone who has joined, but not this member. */
    public List<String> recipients() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Integer> e : roles.entrySet()) {
            if (e.getValue() != ROLE_INVITEE && !e.getKey().equals(self)) {
                out.add(e.getKey());
            }
        }
        return out;
    }
}
