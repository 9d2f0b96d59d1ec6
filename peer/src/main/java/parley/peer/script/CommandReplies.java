package parley.peer.script;

import parley.peer.command.CommandSpec;
import parley.peer.event.PeerEvent;
import parley.peer.event.AccountEvents;
import parley.peer.event.ConsoleEvents;
import parley.peer.event.ContactEvents;
import parley.peer.event.GroupEvents;
import parley.peer.event.FileEvents;
import parley.peer.event.MessageEvents;
import parley.peer.event.SessionEvents;

import java.util.Set;

/**
 * Which events answer which command, so script mode can wait for a command to finish before it
 * reads the next line. Every command ends in one of these or in an {@link ConsoleEvents.Error}; the first
 * one seen after the command was handed over finishes it.
 */
final class CommandReplies {
    private CommandReplies() {
    }

    static Set<Class<? extends PeerEvent>> of(CommandSpec spec) {
        switch (spec) {
            case REGISTER: return Set.of(AccountEvents.Registered.class);
            case LOGIN: return Set.of(AccountEvents.LoggedIn.class);
            case LOGOUT: return Set.of(AccountEvents.LoggedOut.class);
            case WHO: return Set.of(ContactEvents.Who.class);
            case VISIBILITY: return Set.of(AccountEvents.Visibility.class);
            case CONTACTS: return Set.of(ContactEvents.Contacts.class);
            case ADD:
            case REMOVE:
            case BLOCK:
            case UNBLOCK: return Set.of(ContactEvents.Contact.class);
            // A chat request is answered by the session opening (or an info line when declined),
            // a contact request by the registry's confirmation, a group invitation (#group) by the
            // registry's GROUP_CHANGED about us, a file offer by the transfer's new state.
            case ACCEPT: return Set.of(ContactEvents.Contact.class, SessionEvents.SessionOpen.class, GroupEvents.Group.class,
                    FileEvents.Transfer.class);
            case DECLINE: return Set.of(ContactEvents.Contact.class, ConsoleEvents.Info.class, GroupEvents.Group.class,
                    FileEvents.Transfer.class);
            case SEND: return Set.of(ConsoleEvents.Info.class); // "hashing ...": the offer follows when it is hashed
            case CANCEL: return Set.of(FileEvents.Transfer.class);
            case FILES: return Set.of(FileEvents.Files.class);
            case CHAT: return Set.of(MessageEvents.Chat.class);
            case MSG:
            case SAY: return Set.of(MessageEvents.Sending.class, GroupEvents.GroupSending.class);
            case HISTORY: return Set.of(MessageEvents.History.class, GroupEvents.GroupHistory.class);
            // invite, kick and leave are answered by the registry's GROUP_CHANGED push (7.12).
            case GROUP: return Set.of(GroupEvents.Group.class, GroupEvents.GroupMembers.class);
            case GROUPS: return Set.of(GroupEvents.Groups.class);
            case VERIFY: return Set.of(SessionEvents.Verify.class);
            case STATS: return Set.of(SessionEvents.Stats.class);
            case PATH: return Set.of(SessionEvents.Path.class);
            case HELP: return Set.of(ConsoleEvents.Help.class);
            case QUIT: return Set.of(AccountEvents.Bye.class);
            default: throw new IllegalArgumentException("no replies known for " + spec);
        }
    }
}
