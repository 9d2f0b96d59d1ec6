package parley.bench.demo;

import parley.peer.event.ContactEvents;
import parley.peer.event.GroupEvents;

import java.io.PrintStream;

/**
 * The demo's group step (issue 14): amy makes #friends, invites bob and carol (each joins only by
 * accepting), all three talk, and every member sees the same order; then amy removes carol, who
 * is sent nothing after. bob and carol are not contacts and carol hides from everyone: their
 * copies travel sealed through the mailbox, the rest over the encrypted sessions.
 */
final class DemoGroups {
    private DemoGroups() {
    }

    static void run(DemoPeer amy, DemoPeer bob, DemoPeer carol, PrintStream out) {
        out.println("\n== 10. a group: amy creates #friends; bob and carol join by accepting the invitation");
        amy.type("/add carol");
        carol.await(ContactEvents.ContactRequest.class, e -> "amy".equals(e.from()));
        carol.type("/accept amy");
        amy.await(ContactEvents.Contact.class, e -> "carol".equals(e.user()) && "accepted".equals(e.change()));
        amy.type("/group create #friends");
        amy.await(GroupEvents.Group.class, e -> "created".equals(e.change()));
        for (DemoPeer p : new DemoPeer[] {bob, carol}) {
            amy.type("/group invite #friends " + p.name);
            p.await(GroupEvents.GroupInvite.class);
            p.type("/accept #friends");
            p.await(GroupEvents.Group.class, e -> "joined".equals(e.change()));
            amy.await(GroupEvents.Group.class, e -> "member_joined".equals(e.change()) && p.name.equals(e.user()));
        }

        out.println("\n== 11. everyone talks; each copy goes pairwise, and all three see one order");
        say(amy, "Welcome to #friends!", bob, carol);
        say(bob, "Thanks Amy. Hi Carol!", amy, carol);
        GroupEvents.GroupSending last = say(carol, "Hi both, glad to be here.", amy, bob);
        // bob's receipt comes back sealed (they are not contacts): wait for it before carol leaves.
        carol.await(GroupEvents.GroupDelivered.class, e -> e.id() == last.id() && "bob".equals(e.to()));
        carol.type("/history #friends");
        carol.await(GroupEvents.GroupHistory.class);

        out.println("\n== 12. amy removes carol: the next message goes to bob only");
        amy.type("/group kick #friends carol");
        carol.await(GroupEvents.Group.class, e -> "kicked".equals(e.change()));
        say(amy, "Just the two of us now.", bob);
        out.println();
    }

    private static GroupEvents.GroupSending say(DemoPeer from, String text, DemoPeer... to) {
        from.type("/msg #friends " + text);
        GroupEvents.GroupSending s = from.await(GroupEvents.GroupSending.class, e -> text.equals(e.text()));
        for (DemoPeer p : to) {
            p.await(GroupEvents.GroupMessage.class, e -> e.id() == s.id());
        }
        return s;
    }
}
