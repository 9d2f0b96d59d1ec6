package parley.peer.script;

import parley.peer.command.CommandSpec;
import parley.peer.event.PeerEvent;

import java.util.Set;

/**
 * Which events answer which command, so script mode can wait for a command to finish before it
 * reads the next line. Every command ends in one of these or in an {@link PeerEvent.Error}; the first
 * one seen after the command was handed over finishes it.
 */
final class CommandReplies {
    private CommandReplies() {
    }

    static Set<Class<? extends PeerEvent>> of(CommandSpec spec) {
        switch (spec) {
            case REGISTER: return Set.of(PeerEvent.Registered.class);
            case LOGIN: return Set.of(PeerEvent.LoggedIn.class);
            case LOGOUT: return Set.of(PeerEvent.LoggedOut.class);
            case WHO: return Set.of(PeerEvent.Who.class);
            case VISIBILITY: return Set.of(PeerEvent.Visibility.class);
            case CONTACTS: return Set.of(PeerEvent.Contacts.class);
            case ADD:
            case REMOVE:
            case BLOCK:
            case UNBLOCK: return Set.of(PeerEvent.Contact.class);
            // A chat request is answered by the session opening (or an info line when declined),
            // a contact request by the registry's confirmation.
            case ACCEPT: return Set.of(PeerEvent.Contact.class, PeerEvent.SessionOpen.class);
            case DECLINE: return Set.of(PeerEvent.Contact.class, PeerEvent.Info.class);
            case CHAT: return Set.of(PeerEvent.Chat.class);
            case MSG:
            case SAY: return Set.of(PeerEvent.Sending.class);
            case HISTORY: return Set.of(PeerEvent.History.class);
            case VERIFY: return Set.of(PeerEvent.Verify.class);
            case STATS: return Set.of(PeerEvent.Stats.class);
            case PATH: return Set.of(PeerEvent.Path.class);
            case HELP: return Set.of(PeerEvent.Help.class);
            case QUIT: return Set.of(PeerEvent.Bye.class);
            default: throw new IllegalArgumentException("no replies known for " + spec);
        }
    }
}
