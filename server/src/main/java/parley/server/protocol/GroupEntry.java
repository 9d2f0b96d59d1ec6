package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.ErrorCode;
import parley.core.wire.WireException;

import java.util.ArrayList;
import java.util.List;

/**
 * One group as the caller belongs to it: an entry of the GROUPS answer (section 7.12). The id is
 * 16 bytes, the version the group's membership version, the role the caller's own.
 */
public record GroupEntry(byte[] id, String name, int role, long version) {
    /** Bytes of an entry with an empty name: the least a listed entry can take. */
    static final int MIN_BYTES = GroupCodes.ID_BYTES + 2 + 1 + 8;

    /** The GROUPS answer's count, before its entries. */
    public static void writeCount(BodyWriter w, int count) {
        w.u16(count);
    }

    public static void write(BodyWriter w, byte[] id, CharSequence name, int role, long version) {
        w.fixed(id).string(name).u8(role).i64(version);
    }

    static GroupEntry read(BodyReader r) {
        byte[] id = new byte[GroupCodes.ID_BYTES];
        r.fixed(id);
        String name = r.string(Limits.MAX_NAME_BYTES);
        int role = r.u8();
        long version = r.i64();
        if (!GroupCodes.isRole(role) || role == GroupCodes.ROLE_NONE) {
            throw new WireException(ErrorCode.MALFORMED_BODY, "unknown group role " + role);
        }
        return new GroupEntry(id, name, role, version);
    }

    /** The GROUPS answer: u16 count, then count entries. */
    public static List<GroupEntry> decodeList(BodyReader r) {
        int n = r.u16();
        if (n > r.remaining() / MIN_BYTES) {
            throw new WireException(ErrorCode.MALFORMED_BODY, "group count " + n + " exceeds the body");
        }
        List<GroupEntry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(read(r));
        }
        r.end();
        return out;
    }
}
