package parley.server.registry;

import parley.server.protocol.GroupCodes;
import parley.server.protocol.GroupRequest;
import parley.server.protocol.RegistryOpcodes;
import parley.server.registry.HarnessClient.Answer;

/** The group requests of section 7.12 on a {@link HarnessClient}, one line each in the tests. */
final class GroupCalls {
    private GroupCalls() {
    }

    private static Answer call(HarnessClient c, int op, GroupRequest q) {
        return c.call(op, w -> q.encode(w, op));
    }

    static Answer create(HarnessClient c, String g) {
        return call(c, RegistryOpcodes.GROUP_CREATE, new GroupRequest(g, null, 0));
    }

    static Answer invite(HarnessClient c, String g, String user) {
        return call(c, RegistryOpcodes.GROUP_INVITE, new GroupRequest(g, user, 0));
    }

    static Answer answer(HarnessClient c, String g, boolean accept) {
        return call(c, RegistryOpcodes.GROUP_ANSWER,
                new GroupRequest(g, null, accept ? GroupCodes.ANSWER_ACCEPT : GroupCodes.ANSWER_DECLINE));
    }

    static Answer leave(HarnessClient c, String g) {
        return call(c, RegistryOpcodes.GROUP_LEAVE, new GroupRequest(g, null, 0));
    }

    static Answer kick(HarnessClient c, String g, String user) {
        return call(c, RegistryOpcodes.GROUP_KICK, new GroupRequest(g, user, 0));
    }

    static Answer role(HarnessClient c, String g, String user, int role) {
        return call(c, RegistryOpcodes.GROUP_ROLE, new GroupRequest(g, user, role));
    }

    static Answer members(HarnessClient c, String g) {
        return call(c, RegistryOpcodes.GROUP_MEMBERS, new GroupRequest(g, null, 0));
    }

    static Answer groups(HarnessClient c) {
        return c.call(RegistryOpcodes.GROUPS);
    }
}
