package parley.peer.core;

import parley.core.loop.EventLoop;
import parley.peer.command.Command;
import parley.peer.command.CommandSpec;
import parley.peer.event.ClientErrors;
import parley.peer.event.AccountEvents;
import parley.peer.event.ConsoleEvents;
import parley.peer.event.MessageEvents;
import parley.peer.net.PeerTransport;
import parley.peer.output.EventSink;
import parley.peer.store.LocalStore;
import parley.peer.store.StoreWorker;
import parley.peer.store.StoredMessage;
import parley.core.loop.WorkQueue;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.SetVisibility;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The peer on its loop: runs each command, and follows the account through the registry link
 * (login, logout, the local history). The contacts and their presence are {@link ContactBook}'s,
 * the chats {@link Conversations}'; each owns its registry requests and pushes, and every part
 * reports to the user through the sink. Front-ends (terminal, script, demo) only parse lines and
 * print events; everything a user can do goes through {@link #handle}.
 */
public final class PeerCore implements RegistryLink.Owner {
    private static final String[] VISIBILITY = {"everyone", "contacts", "nobody"};
    static final String PENDING_AT_EXIT = "not delivered before the client stopped";

    private final EventLoop loop;
    private final PeerConfig config;
    private final EventSink sink;
    private final StoreWorker storage;
    private final RegistryLink link;
    private final Conversations chats;
    private final ContactBook contacts;
    private final UserRequests requests;
    private final Identities identities;
    private final MailDrain mailDrain;
    private final Mailroom mailroom;
    private final GroupCommands groups;
    private final Histories histories;
    private final Runnable onQuit;
    private final Reachability reach;
    private final FileShare files;
    /** The worker that also gathers our local candidates: enumerating interfaces must not block the loop. */
    private final WorkQueue<Runnable> hashing;
    private PeerTransport transport;
    private String partner;
    private String visibility = "-";
    private boolean quitting;

    public PeerCore(EventLoop loop, PeerConfig config, EventSink sink, StoreWorker storage, WorkQueue<Runnable> hashing, Runnable onQuit) {
        this.loop = loop;
        this.config = config;
        this.sink = sink;
        this.storage = storage;
        this.onQuit = onQuit;
        this.link = new RegistryLink(loop, config, this, hashing);
        this.requests = new UserRequests(link, sink);
        java.util.concurrent.Executor worker = hashing::offer; // keys, signatures: CPU, never on the loop
        this.identities = new Identities(worker, loop::execute, link, storage, sink, config.dataDir, config.strictIdentity);
        this.contacts = new ContactBook(loop, link, sink, link::leaseNanos, identities::verifiedUsers);
        this.reach = new Reachability(config.noDirect, config.registryUdp());
        this.hashing = hashing;
        this.chats = new Conversations(loop, link, storage, sink, contacts, config.autoAcceptContacts,
                config.maxSessions, config.maxMessageBytes, identities, worker, reach);
        contacts.onBlocked(user -> chats.endSessionWith(user, "you blocked " + user));
        MailIdentity mailIdentity = new MailIdentities(loop, hashing, link, identities);
        this.mailroom = new Mailroom(loop, hashing, link, storage, sink, mailIdentity);
        this.chats.mailroom(mailroom);
        this.files = new FileShare(loop, config, sink, chats, link);
        chats.files(files);
        this.mailDrain = new MailDrain(loop, hashing, link, storage, sink, mailIdentity, mailroom);
        this.groups = new GroupCommands(link, sink, storage, chats, mailroom, mailDrain, contacts);
        this.histories = new Histories(storage, sink, link::user, groups);
    }

    /** The transport's callbacks: the chats own the sessions, the probe responder the registry's challenges. */
    public PeerTransport.Listener transportListener() {
        return new TransportRouter(chats, files, new ProbeResponder(config, link, this));
    }

    /** Loop thread: wires the bound transport in and connects to the registry. */
    public void start(PeerTransport t) {
        this.transport = t;
        chats.transport(t);
        files.start(t);
        sink.emit(new AccountEvents.Ready(link.hostPort(), t.localAddress().getPort(), config.dataDir.toString()));
        gatherCandidates();
        link.start();
    }

    /** Gathers our local candidates on the worker and hands them to the loop (at start and at each login). */
    private void gatherCandidates() {
        if (config.noDirect) {
            return; // never told to anyone
        }
        InetSocketAddress bound = transport.localAddress();
        hashing.offer(() -> {
            java.util.List<parley.server.protocol.Candidate> found = LocalCandidates.gather(bound);
            loop.execute(() -> reach.localCandidates(found));
        });
    }

    // ---- commands --------------------------------------------------------------------------------

    /** Runs one command. Loop thread only. */
    public void handle(Command c) {
        loop.assertInLoop();
        if (quitting || groups.handle(c, partner)) {
            return;
        }
        switch (c.spec()) {
            case REGISTER:
                link.register(c.arg(0), c.arg(1));
                break;
            case LOGIN:
                link.login(c.arg(0), c.arg(1));
                break;
            case LOGOUT:
                logout();
                break;
            case WHO:
                contacts.who();
                break;
            case VISIBILITY:
                setVisibility(c.arg(0));
                break;
            case CONTACTS:
                contacts.list();
                break;
            case ADD:
                contacts.change(RegistryOpcodes.CONTACT_REQUEST, c.arg(0), "requested");
                break;
            case ACCEPT:
            case DECLINE:
                if (!files.handle(c)) { // "/accept file <id>" answers an offer, "/accept <user>" a request
                    answer(c.arg(0), c.spec() == CommandSpec.ACCEPT);
                }
                break;
            case SEND:
            case CANCEL:
            case FILES:
                files.handle(c);
                break;
            case REMOVE:
                contacts.change(RegistryOpcodes.CONTACT_REMOVE, c.arg(0), "removed");
                break;
            case BLOCK:
                contacts.change(RegistryOpcodes.BLOCK, c.arg(0), "blocked");
                break;
            case UNBLOCK:
                contacts.change(RegistryOpcodes.UNBLOCK, c.arg(0), "unblocked");
                break;
            case CHAT:
                partner = c.arg(0);
                sink.emit(new MessageEvents.Chat(partner));
                break;
            case MSG:
                send(c.arg(0), c.arg(1));
                break;
            case SAY:
                if (partner == null) {
                    sink.emit(new ConsoleEvents.Error(ClientErrors.NO_CHAT_PARTNER,
                            "no chat partner: pick one with /chat <user>, or send with /msg <user> <text>"));
                } else {
                    send(partner, c.arg(0));
                }
                break;
            case HISTORY:
                histories.show(c.arg(0), c.arg(1));
                break;
            case VERIFY:
                verify(c.arg(0), c.arg(1));
                break;
            case PATH:
                chats.showPath(c.arg(0));
                break;
            case STATS:
                sink.emit(chats.stats(link.user()));
                break;
            case HELP:
                sink.emit(HelpText.of());
                break;
            case QUIT:
                quit();
                break;
            default:
                sink.emit(new ConsoleEvents.Error(ClientErrors.UNKNOWN_COMMAND, "unknown command; type /help"));
        }
    }

    private void setVisibility(String level) {
        int v = List.of(VISIBILITY).indexOf(level.toLowerCase(Locale.ROOT));
        if (v < 0) {
            sink.emit(new ConsoleEvents.Error(ClientErrors.USAGE, "usage: /visibility everyone|contacts|nobody"));
            return;
        }
        requests.send(RegistryOpcodes.SET_VISIBILITY, w -> new SetVisibility(v).encode(w), null, r -> {
            visibility = VISIBILITY[v];
            sink.emit(new AccountEvents.Visibility(visibility));
        });
    }

    /** /accept and /decline answer whatever that user is waiting for: a chat, a contact request, or both. */
    private void answer(String user, boolean accept) {
        boolean invite = chats.hasInvite(user);
        if (invite) {
            if (accept) {
                chats.accept(user);
            } else {
                chats.decline(user);
            }
        }
        contacts.answer(user, accept, invite);
    }

    private void send(String user, String text) {
        if (link.user() == null) {
            sink.emit(new ConsoleEvents.Error(ClientErrors.NOT_LOGGED_IN, "you are not logged in: /login <user> first"));
            return;
        }
        chats.send(user, text);
    }

    /** {@code /verify <user> [confirm]}: the safety number of the two identities (PROTOCOL.md 7.9). */
    private void verify(String user, String confirm) {
        if (confirm != null && !"confirm".equalsIgnoreCase(confirm)) {
            sink.emit(new ConsoleEvents.Error(ClientErrors.USAGE, "usage: /verify <user> [confirm]"));
            return;
        }
        if (link.user() == null) {
            sink.emit(new ConsoleEvents.Error(ClientErrors.NOT_LOGGED_IN, "you are not logged in: /login first"));
            return;
        }
        identities.verify(user, confirm != null, chats.fingerprint(user));
    }

    private void logout() {
        if (link.user() == null && !link.loggedIn()) {
            sink.emit(new ConsoleEvents.Error(ClientErrors.NOT_LOGGED_IN, "you are not logged in"));
            return;
        }
        String user = link.user();
        mailDrain.disable();
        groups.loggedOut();
        chats.closeAll("you logged out");
        identities.clear();
        link.logout(() -> sink.emit(new AccountEvents.LoggedOut(user)));
    }

    private void quit() {
        quitting = true;
        contacts.stop();
        // Messages in flight stay "pending" (reported failed at the next start) or "mailing" (deposited again then).
        link.logout(() -> {
            link.stop();
            sink.emit(new AccountEvents.Bye());
            onQuit.run();
        });
    }

    // ---- registry link callbacks --------------------------------------------------------------

    @Override
    public void onRegistered(String user) {
        sink.emit(new AccountEvents.Registered(user));
    }

    @Override
    public void onLoggedIn(String user, int vis, boolean relogin, parley.server.protocol.IdentityBundle storedIdentity) {
        visibility = vis >= 0 && vis < VISIBILITY.length ? VISIBILITY[vis] : "unknown";
        sink.emit(new AccountEvents.LoggedIn(user, visibility, relogin));
        gatherCandidates(); // interfaces may have changed since the start (a new network)
        if (!relogin) {
            openStore(user);
        } else {
            mailDrain.start();
        }
        identities.loggedIn(user, storedIdentity);
        contacts.loggedIn();
        groups.loggedIn(relogin);
    }

    private void openStore(String user) {
        // Pending rows are read in the same storage task as the open, so only earlier runs' count.
        java.nio.file.Path file;
        try {
            file = LocalStore.fileFor(config.dataDir, user);
        } catch (IllegalArgumentException e) {
            sink.emit(new ConsoleEvents.Error(ClientErrors.STORAGE, e.getMessage() + "; messages will not be kept"));
            return;
        }
        storage.open(file, s -> s.failPending(PENDING_AT_EXIT), (lost, error) -> {
            if (error != null) {
                sink.emit(new ConsoleEvents.Error(ClientErrors.STORAGE, "cannot open the local history in " + config.dataDir + ": "
                        + error.getMessage() + "; messages will not be kept"));
                return;
            }
            for (StoredMessage m : lost) {
                sink.emit(new MessageEvents.Failed(m.id, m.peer, PENDING_AT_EXIT));
            }
            // Offline delivery opens mail with this device's identity key: read the mailbox once it is loaded.
            identities.whenReady(() -> { mailDrain.enable(); mailroom.resumeDeposits(); groups.resume(); }); // and what a run left on its way
        });
        storage.read(s -> s.pins(), identities::loadPins,
                e -> {
                    sink.emit(new ConsoleEvents.Error(ClientErrors.STORAGE, "cannot read the pinned identities: " + e.getMessage()));
                    identities.loadPins(List.of()); // /verify still answers, from the registry
                });
    }

    @Override
    public parley.server.protocol.IdentityBundle identityFor(String name) {
        try {
            return identities.keysFor(name).bundle();
        } catch (Exception e) {
            return null; // REGISTER without one; the first login registers it (PROTOCOL.md 7.9, migration)
        }
    }

    @Override
    public void onLoginFailed(String code, String message, boolean relogin) {
        sink.emit(new ConsoleEvents.Error(code, relogin ? "could not log in again after reconnecting: " + message : message));
    }

    @Override
    public void onLinkEvent(String state, String detail) {
        sink.emit(new AccountEvents.Connection(state, detail));
    }

    @Override
    public void onServerKeyChanged(String message) {
        sink.emit(new ConsoleEvents.Error(ClientErrors.SERVER_KEY_CHANGED, message));
    }

    @Override
    public void onLinkDown() {
        // Open peer sessions carry on over UDP; presence now ages until the registry is back.
    }

    @Override
    public void onHeartbeat(long leaseNanos) {
        contacts.confirmAll();
    }

    @Override
    public void sendProbe(ByteBuffer datagram, InetSocketAddress to) {
        transport.sendRaw(datagram, to);
    }

    @Override
    public InetSocketAddress udpAddress() {
        return transport.localAddress();
    }

    @Override
    public void error(String code, String message) {
        sink.emit(new ConsoleEvents.Error(code, message));
    }

    public String partner() {
        return partner;
    }

    public String visibility() {
        return visibility;
    }

    /** Stream 1's intake gate (PROTOCOL.md 9.9): file data needs a free piece buffer. */
    public boolean filesHaveRoom() {
        return files.hasRoom();
    }

    public void shutdown() {
        link.stop();
    }

    /** After the loop stopped: the transfer thread finishes what it had queued (a chunk being written) and stops. */
    public void closeFiles() {
        files.close();
    }
}
