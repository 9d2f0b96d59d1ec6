package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.ErrorCode;
import parley.core.wire.WireException;

import java.util.ArrayList;
import java.util.List;

/**
 * The GROUP_MEMBERS answer (section 7.12): the group's id and membership version, then each
 * member and invitee as a {@link UserEntry} (presence as the caller may see it: a member who hides
 * reads as offline) followed by a role byte.
 */
public record GroupMembers(byte[] id, long version, List<Member> members) {
    public record Member(UserEntry user, int role) {
    }

    public static void writeHead(BodyWriter w, byte[] id, long version, int count) {
        w.fixed(id).i64(version).u16(count);
    }

    /** One entry: the user entry as the caller may see it, then the role. */
    public static void writeMember(BodyWriter w, CharSequence name, int presence, long lastSeenMillis, int role) {
        UserEntry.write(w, name, presence, lastSeenMillis);
        w.u8(role);
    }

    /** The GROUP_CREATE answer: the new group's id. */
    public static void writeCreated(BodyWriter w, byte[] id) {
        w.fixed(id);
    }

    /** Reads the GROUP_CREATE answer: the new group's 16-byte id, and nothing after it. */
    public static byte[] readCreated(BodyReader r) {
        byte[] id = new byte[GroupCodes.ID_BYTES];
        r.fixed(id);
        r.end();
        return id;
    }

    public static GroupMembers decode(BodyReader r) {
        byte[] id = new byte[GroupCodes.ID_BYTES];
        r.fixed(id);
        long version = r.i64();
        int n = r.u16();
        if (n > r.remaining() / (UserEntry.MIN_BYTES + 1)) {
            throw new WireException(ErrorCode.MALFORMED_BODY, "member count " + n + " exceeds the body");
        }
        List<Member> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            UserEntry u = UserEntry.read(r);
            int role = r.u8();
            if (role == GroupCodes.ROLE_NONE || !GroupCodes.isRole(role)) {
                throw new WireException(ErrorCode.MALFORMED_BODY, "unknown group role " + role);
            }
            out.add(new Member(u, role));
        }
        r.end();
        return new GroupMembers(id, version, out);
    }
}
