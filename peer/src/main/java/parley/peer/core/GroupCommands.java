package parley.peer.core;

import parley.peer.command.Command;
import parley.peer.event.ClientErrors;
import parley.peer.event.ConsoleEvents;
import parley.peer.output.EventSink;
import parley.peer.store.StoreWorker;

/**
 * Group chat's part of the commands (issue 14): {@code /group ...} and {@code /groups}, and the
 * commands that name a group instead of a user, {@code #name} (a user name cannot hold a '#'):
 * {@code /msg #g}, plain lines after {@code /chat #g}, {@code /accept #g}, {@code /decline #g}.
 * It wires {@link Groups} and {@link GroupPosts} into the peer, so PeerCore only asks it first.
 */
final class GroupCommands {
    private final RegistryRequests link;
    private final EventSink sink;
    private final Groups groups;
    private final GroupPosts posts;

    GroupCommands(RegistryRequests link, EventSink sink, StoreWorker storage, Conversations chats, Mailroom mailroom,
                  MailDrain drain, ContactBook contacts) {
        this.link = link;
        this.sink = sink;
        this.groups = new Groups(link, sink, storage);
        this.posts = new GroupPosts(groups, chats, mailroom, drain, link, storage, sink, contacts::isBlocked);
    }

    static boolean isGroup(String target) {
        return target != null && target.startsWith("#");
    }

    /** True if {@code c} was a group command (run here); false: PeerCore runs it. */
    boolean handle(Command c, String partner) {
        switch (c.spec()) {
            case GROUP:
                if (loggedIn()) {
                    groups.command(c.arg(0), c.arg(1), c.arg(2));
                }
                return true;
            case GROUPS:
                if (loggedIn()) {
                    groups.list();
                }
                return true;
            case ACCEPT:
            case DECLINE:
                if (!isGroup(c.arg(0))) {
                    return false;
                }
                if (loggedIn()) {
                    groups.answer(c.arg(0), c.spec() == parley.peer.command.CommandSpec.ACCEPT);
                }
                return true;
            case MSG:
                return isGroup(c.arg(0)) && send(c.arg(0), c.arg(1));
            case SAY:
                return isGroup(partner) && send(partner, c.arg(0));
            default:
                return false;
        }
    }

    /** At the start of a run, once the identity keys are loaded: group copies an earlier run left pending go again. */
    void resume() {
        posts.resume();
    }

    /** {@code /history #g [n]}. */
    void history(String group, int n) {
        groups.whenLoaded(() -> posts.history(group, n)); // right after login the groups are still on their way
    }

    private boolean send(String group, String text) {
        if (loggedIn()) {
            groups.whenLoaded(() -> posts.send(group, text));
        }
        return true;
    }

    private boolean loggedIn() {
        if (link.user() == null) {
            sink.emit(new ConsoleEvents.Error(ClientErrors.NOT_LOGGED_IN, "you are not logged in: /login <user> first"));
            return false;
        }
        return true;
    }

    void loggedIn(boolean relogin) {
        groups.loggedIn();
    }

    void loggedOut() {
        groups.clear();
    }
}
