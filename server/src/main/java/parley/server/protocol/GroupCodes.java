package parley.server.protocol;

/**
 * The numbers of PROTOCOL.md section 7.12 (groups): roles, the changes GROUP_CHANGED reports, the
 * answer codes of GROUP_ANSWER and the size limits. A peer and the registry read the same table.
 */
public final class GroupCodes {
    /** A group id: 16 random bytes (128 bits), chosen by the registry at GROUP_CREATE. */
    public static final int ID_BYTES = 16;

    /**
     * Members plus invitees of one group at most. Pairwise fan-out (section 9.3.2) makes a sender
     * seal and send one copy per member; about 50 is what it serves well (see PERFORMANCE.md).
     */
    public static final int MAX_MEMBERS = 50;
    /** Groups an account belongs to or is invited to, at most: bounds the registry's memory. */
    public static final int MAX_GROUPS_PER_ACCOUNT = 100;

    // Roles, as GROUP_MEMBERS and GROUPS report them; 0 in GROUP_CHANGED means "no longer in it".
    public static final int ROLE_NONE = 0;
    public static final int ROLE_OWNER = 1;
    public static final int ROLE_ADMIN = 2;
    public static final int ROLE_MEMBER = 3;
    public static final int ROLE_INVITEE = 4;

    // GROUP_CHANGED's change field.
    public static final int CHANGE_JOINED = 1;
    public static final int CHANGE_LEFT = 2;
    public static final int CHANGE_KICKED = 3;
    public static final int CHANGE_DECLINED = 4;
    public static final int CHANGE_INVITED = 5;
    public static final int CHANGE_ROLE = 6;
    public static final int CHANGE_CLOSED = 7;

    // GROUP_ANSWER's answer field.
    public static final int ANSWER_DECLINE = 0;
    public static final int ANSWER_ACCEPT = 1;

    private GroupCodes() {
    }

    /** True for a role a member holds (owner, admin, member); false for invitees and none. */
    public static boolean isMember(int role) {
        return role == ROLE_OWNER || role == ROLE_ADMIN || role == ROLE_MEMBER;
    }

    /** True for owner and admin: they may invite and kick. */
    public static boolean mayManage(int role) {
        return role == ROLE_OWNER || role == ROLE_ADMIN;
    }

    public static boolean isChange(int change) {
        return change >= CHANGE_JOINED && change <= CHANGE_CLOSED;
    }

    public static boolean isRole(int role) {
        return role >= ROLE_NONE && role <= ROLE_INVITEE;
    }
}
