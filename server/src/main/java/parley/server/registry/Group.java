package parley.server.registry;

import parley.server.protocol.GroupCodes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One group in the registry's memory (PROTOCOL.md 7.12): id, name, membership version, and each
 * member's or invitee's role in join order (the order ownership passes in when the owner leaves).
 * What a caller may learn of it is decided by {@link Presence#groupFor}. Loop thread only.
 */
final class Group {
    final byte[] id;
    final String name;
    final String key;
    final long createdAtMillis;
    /** The membership version the last committed change produced. */
    long version;
    /** The version the next change will carry: ahead of {@link #version} while writes are in flight. */
    long issued;
    /** Invitations written but not yet committed: counted against the member limit. */
    int pendingInvites;
    private final LinkedHashMap<Account, Integer> roles = new LinkedHashMap<>();

    Group(byte[] id, String name, String key, long version, long createdAtMillis) {
        this.id = id;
        this.name = name;
        this.key = key;
        this.version = version;
        this.issued = version;
        this.createdAtMillis = createdAtMillis;
    }

    /** The account's role, {@link GroupCodes#ROLE_NONE} when it is neither member nor invitee. */
    int role(Account a) {
        Integer r = roles.get(a);
        return r == null ? GroupCodes.ROLE_NONE : r;
    }

    void setRole(Account a, int role) {
        if (role == GroupCodes.ROLE_NONE) {
            roles.remove(a);
        } else {
            roles.put(a, role);
        }
    }

    /** Members and invitees together: what the member limit counts. */
    int size() {
        return roles.size();
    }

    long nextVersion() {
        return ++issued;
    }

    /** Members, admins and the owner, in join order (not invitees). */
    List<Account> members() {
        List<Account> out = new ArrayList<>(roles.size());
        for (Map.Entry<Account, Integer> e : roles.entrySet()) {
            if (GroupCodes.isMember(e.getValue())) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /** Everyone with a role, invitees included, in join order. */
    Iterable<Map.Entry<Account, Integer>> entries() {
        return roles.entrySet();
    }

    /** Who becomes owner when {@code leaving} (the owner) goes: the first admin, else the first member; null if none. */
    Account successor(Account leaving) {
        Account firstMember = null;
        for (Map.Entry<Account, Integer> e : roles.entrySet()) {
            if (e.getKey() == leaving) {
                continue;
            }
            if (e.getValue() == GroupCodes.ROLE_ADMIN) {
                return e.getKey();
            }
            if (firstMember == null && e.getValue() == GroupCodes.ROLE_MEMBER) {
                firstMember = e.getKey();
            }
        }
        return firstMember;
    }
}
