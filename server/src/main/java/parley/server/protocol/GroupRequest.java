package parley.server.protocol;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.ErrorCode;
import parley.core.wire.WireException;

/**
 * The request bodies of section 7.12: a group name, then for GROUP_INVITE, GROUP_KICK and
 * GROUP_ROLE a user name, for GROUP_ANSWER an answer byte, for GROUP_ROLE a role byte. Group names
 * follow the user-name rule ({@link Usernames}); the {@code #} a client shows is not on the wire.
 * {@code user} is null and {@code code} 0 where the opcode has none.
 */
public record GroupRequest(String group, String user, int code) {
    /** GROUP_CREATE, GROUP_LEAVE, GROUP_MEMBERS: the group name alone. */
    public static GroupRequest decodeName(BodyReader r) {
        String g = r.string(Limits.MAX_NAME_BYTES);
        r.end();
        return new GroupRequest(g, null, 0);
    }

    /** GROUP_INVITE, GROUP_KICK: group name, user name. */
    public static GroupRequest decodeNameUser(BodyReader r) {
        String g = r.string(Limits.MAX_NAME_BYTES);
        String u = r.string(Limits.MAX_NAME_BYTES);
        r.end();
        return new GroupRequest(g, u, 0);
    }

    /** GROUP_ANSWER: group name, u8 answer (0 decline, 1 accept; anything else MALFORMED_BODY). */
    public static GroupRequest decodeAnswer(BodyReader r) {
        String g = r.string(Limits.MAX_NAME_BYTES);
        int a = r.u8();
        r.end();
        if (a != GroupCodes.ANSWER_ACCEPT && a != GroupCodes.ANSWER_DECLINE) {
            throw new WireException(ErrorCode.MALFORMED_BODY, "answer must be 0 (decline) or 1 (accept)");
        }
        return new GroupRequest(g, null, a);
    }

    /** GROUP_ROLE: group name, user name, u8 role (2 admin or 3 member; anything else MALFORMED_BODY). */
    public static GroupRequest decodeRole(BodyReader r) {
        String g = r.string(Limits.MAX_NAME_BYTES);
        String u = r.string(Limits.MAX_NAME_BYTES);
        int role = r.u8();
        r.end();
        if (role != GroupCodes.ROLE_ADMIN && role != GroupCodes.ROLE_MEMBER) {
            throw new WireException(ErrorCode.MALFORMED_BODY, "role must be 2 (admin) or 3 (member)");
        }
        return new GroupRequest(g, u, role);
    }

    /** Writes this request as its opcode's body: the client side and the tests. */
    public void encode(BodyWriter w, int opcode) {
        w.string(group);
        switch (opcode) {
            case RegistryOpcodes.GROUP_INVITE:
            case RegistryOpcodes.GROUP_KICK:
                w.string(user);
                break;
            case RegistryOpcodes.GROUP_ROLE:
                w.string(user).u8(code);
                break;
            case RegistryOpcodes.GROUP_ANSWER:
                w.u8(code);
                break;
            default:
                break;
        }
    }
}
