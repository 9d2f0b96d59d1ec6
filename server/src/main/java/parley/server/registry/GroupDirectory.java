package parley.server.registry;

import parley.core.util.LongObjectMap;
import parley.server.protocol.GroupCodes;
import parley.server.protocol.Usernames;
import parley.server.store.GroupMemberRecord;
import parley.server.store.GroupRecord;
import parley.server.store.GroupRows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The groups' indexes: by name key, by id, and each account's groups (member or invitee), plus
 * the names being created. It decides nothing; {@link Groups} holds the rules and
 * {@link Presence#groupFor} the privacy decision. Loop thread only.
 */
final class GroupDirectory {
    private final Map<String, Group> byKey = new HashMap<>();
    private final Map<ByteBuffer, Group> byId = new HashMap<>();
    private final LongObjectMap<List<Group>> byAccount = new LongObjectMap<>();
    private final Set<String> namesBeingCreated = new HashSet<>();

    GroupDirectory(GroupRows rows, Registry registry) {
        for (GroupRecord r : rows.groups()) {
            add(new Group(r.id(), r.name(), r.nameKey(), r.version(), r.createdAtMillis()));
        }
        for (GroupMemberRecord m : rows.members()) {
            Group g = byId.get(ByteBuffer.wrap(m.groupId()));
            Account a = registry.byId(m.account());
            if (g != null && a != null && GroupCodes.isRole(m.role())) {
                setRole(g, a, m.role());
            }
        }
    }

    void add(Group g) {
        byKey.put(g.key, g);
        byId.put(ByteBuffer.wrap(g.id), g);
    }

    void remove(Group g) {
        byKey.remove(g.key);
        byId.remove(ByteBuffer.wrap(g.id));
        for (Map.Entry<Account, Integer> e : new ArrayList<>(toList(g.entries()))) {
            setRole(g, e.getKey(), GroupCodes.ROLE_NONE);
        }
    }

    private static List<Map.Entry<Account, Integer>> toList(Iterable<Map.Entry<Account, Integer>> it) {
        List<Map.Entry<Account, Integer>> out = new ArrayList<>();
        for (Map.Entry<Account, Integer> e : it) {
            out.add(Map.entry(e.getKey(), e.getValue()));
        }
        return out;
    }

    /** The group named {@code name} (any case), or null. Not a privacy decision: see {@link Presence#groupFor}. */
    Group byName(String name) {
        return byKey.get(Usernames.key(name));
    }

    /** Every group (a copy): for the re-read of a cluster node back from a cut. */
    List<Group> all() {
        return new ArrayList<>(byId.values());
    }

    /** The group with this id, or null. Not a privacy decision. */
    Group byId(byte[] id) {
        return byId.get(ByteBuffer.wrap(id));
    }

    boolean nameTakenOrReserved(String key) {
        return byKey.containsKey(key) || namesBeingCreated.contains(key);
    }

    void reserve(String key) {
        namesBeingCreated.add(key);
    }

    void release(String key) {
        namesBeingCreated.remove(key);
    }

    /** Sets the role and keeps the account's list of groups in step. */
    void setRole(Group g, Account a, int role) {
        boolean was = g.role(a) != GroupCodes.ROLE_NONE;
        g.setRole(a, role);
        boolean is = role != GroupCodes.ROLE_NONE;
        if (was == is) {
            return;
        }
        List<Group> mine = byAccount.get(a.id);
        if (is) {
            if (mine == null) {
                mine = new ArrayList<>();
                byAccount.put(a.id, mine);
            }
            mine.add(g);
        } else if (mine != null) {
            mine.remove(g);
            if (mine.isEmpty()) {
                byAccount.remove(a.id);
            }
        }
    }

    /** The groups {@code a} is a member of or invited to, in the order it joined or was invited. */
    List<Group> of(Account a) {
        List<Group> mine = byAccount.get(a.id);
        return mine == null ? List.of() : mine;
    }

    /** True if {@code a} and {@code b} have both joined (not merely been invited to) one group. */
    boolean joinedTogether(Account a, Account b) {
        for (Group g : of(a)) {
            if (parley.server.protocol.GroupCodes.isMember(g.role(a)) && parley.server.protocol.GroupCodes.isMember(g.role(b))) {
                return true;
            }
        }
        return false;
    }

    int count() {
        return byKey.size();
    }
}
