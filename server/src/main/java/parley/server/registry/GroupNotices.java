package parley.server.registry;

import parley.core.wire.BodyWriter;
import parley.server.protocol.GroupCodes;
import parley.server.protocol.GroupPush;
import parley.server.protocol.RegistryOpcodes;

/**
 * The group pushes of section 7.12. GROUP_INVITED goes to the invitee alone; GROUP_CHANGED to
 * every member after the change and to the user it is about, even when that user just left or
 * was removed, so a removed member learns it at once. Invitees hear of nothing but their own
 * invitation. Offline users learn the state from GROUPS at their next login. Loop thread only.
 */
final class GroupNotices {
    private final Replies replies;
    /** Cluster mode on a shared store: notes each notice, to replay it on the other nodes. */
    ClusterGroups nodes;

    GroupNotices(Replies replies) {
        this.replies = replies;
    }

    void invited(Account to, Group g, Account from) {
        if (nodes != null) {
            nodes.invitedNote(to, from);
        }
        if (to.session == null) {
            return;
        }
        BodyWriter w = replies.begin(to.session.link);
        GroupPush.writeInvited(w, g.id, g.name, from.name);
        replies.push(to.session.link, RegistryOpcodes.GROUP_INVITED);
    }

    /** To every member now in {@code g}, and to {@code alsoTo} (the user removed, if any). */
    void changed(Group g, int change, Account user, int role, Account alsoTo) {
        if (nodes != null) {
            nodes.changedNote(change, user, role, alsoTo);
        }
        for (Account m : g.members()) {
            push(m, g, change, user, role);
        }
        if (alsoTo != null && !GroupCodes.isMember(g.role(alsoTo))) {
            push(alsoTo, g, change, user, role);
        }
    }

    void one(Account to, Group g, int change, Account user, int role) {
        if (nodes != null) {
            nodes.oneNote(to, change, user, role);
        }
        push(to, g, change, user, role);
    }

    /** GROUP_CHANGED to {@code to} if its session is on this node (on another node, that node pushes it). */
    private void push(Account to, Group g, int change, Account user, int role) {
        if (to.session == null) {
            return;
        }
        BodyWriter w = replies.begin(to.session.link);
        GroupPush.writeChanged(w, g.id, g.name, change, user.name, role, g.version);
        replies.push(to.session.link, RegistryOpcodes.GROUP_CHANGED);
    }
}
