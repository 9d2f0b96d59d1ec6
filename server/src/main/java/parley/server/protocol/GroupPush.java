package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.ErrorCode;
import parley.core.wire.WireException;

/**
 * The two group pushes of section 7.12. GROUP_INVITED tells an invitee who invited it to which
 * group; GROUP_CHANGED tells every member (and the user the change is about) what changed, the
 * user's role after it (0: no longer in the group) and the membership version it produced. A
 * sender fans a message out to the membership of the highest version it has seen (section 9.3.2).
 */
public final class GroupPush {
    public record Invited(byte[] id, String group, String from) {
    }

    public record Changed(byte[] id, String group, int change, String user, int role, long version) {
    }

    private GroupPush() {
    }

    public static void writeInvited(BodyWriter w, byte[] id, CharSequence group, CharSequence from) {
        w.fixed(id).string(group).string(from);
    }

    public static void writeChanged(BodyWriter w, byte[] id, CharSequence group, int change, CharSequence user,
                                    int role, long version) {
        w.fixed(id).string(group).u8(change).string(user).u8(role).i64(version);
    }

    public static Invited decodeInvited(BodyReader r) {
        byte[] id = new byte[GroupCodes.ID_BYTES];
        r.fixed(id);
        String g = r.string(Limits.MAX_NAME_BYTES);
        String from = r.string(Limits.MAX_NAME_BYTES);
        r.end();
        return new Invited(id, g, from);
    }

    public static Changed decodeChanged(BodyReader r) {
        byte[] id = new byte[GroupCodes.ID_BYTES];
        r.fixed(id);
        String g = r.string(Limits.MAX_NAME_BYTES);
        int change = r.u8();
        String user = r.string(Limits.MAX_NAME_BYTES);
        int role = r.u8();
        long version = r.i64();
        r.end();
        if (!GroupCodes.isChange(change) || !GroupCodes.isRole(role)) {
            throw new WireException(ErrorCode.MALFORMED_BODY, "unknown group change " + change + " or role " + role);
        }
        return new Changed(id, g, change, user, role, version);
    }
}
