package parley.server.registry;

import java.util.ArrayList;
import java.util.List;

/**
 * One account's pending invitations, sent and received, so that counting a user's invitations
 * and dropping them at logout cost the invitations of that account, not every one in the
 * registry. Made on the first invitation; most accounts never have one.
 */
final class Invites {
    final List<Invite> sent = new ArrayList<>(4);
    final List<Invite> received = new ArrayList<>(4);

    static Invites of(Account a) {
        if (a.invites == null) {
            a.invites = new Invites();
        }
        return a.invites;
    }

    static int sentBy(Account a) {
        return a.invites == null ? 0 : a.invites.sent.size();
    }

    /** Lists {@code i} on both of its accounts. */
    static void add(Invite i) {
        of(i.from).sent.add(i);
        of(i.to).received.add(i);
    }

    /** Takes {@code i} off both of its accounts' lists. */
    static void remove(Invite i) {
        if (i.from.invites != null) {
            i.from.invites.sent.remove(i);
        }
        if (i.to.invites != null) {
            i.to.invites.received.remove(i);
        }
    }
}
