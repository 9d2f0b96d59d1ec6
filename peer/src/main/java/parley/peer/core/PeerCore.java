package parley.peer.core;

import parley.core.loop.EventLoop;
import parley.core.loop.Timer;
import parley.core.wire.BodyReader;
import parley.core.wire.WireException;
import parley.peer.command.Command;
import parley.peer.command.CommandSpec;
import parley.peer.event.Event;
import parley.peer.event.Events;
import parley.peer.net.PeerTransport;
import parley.peer.output.EventSink;
import parley.peer.store.LocalStore;
import parley.peer.store.StoreWorker;
import parley.peer.store.StoredMessage;
import parley.peer.util.Worker;
import parley.server.client.RegistryClient;
import parley.server.protocol.PresenceState;
import parley.server.protocol.RegistryOpcodes;
import parley.server.registry.ContactEvent;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The peer's state machine on its loop: runs each command, reacts to registry pushes, and turns
 * everything into events for the sink. Front-ends (terminal, script, demo) only parse lines and
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
    private final PresenceBook presence = new PresenceBook();
    private final Set<String> contacts = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    private final Set<String> contactRequests = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    private final Timer staleTimer = new Timer(this::checkStale);
    private final Runnable onQuit;
    private PeerTransport transport;
    private String partner;
    private String visibility = "-";
    private boolean quitting;

    public PeerCore(EventLoop loop, PeerConfig config, EventSink sink, StoreWorker storage, Worker hashing, Runnable onQuit) {
        this.loop = loop;
        this.config = config;
        this.sink = sink;
        this.storage = storage;
        this.onQuit = onQuit;
        this.link = new RegistryLink(loop, config, this, hashing);
        this.chats = new Conversations(loop, link, storage, sink, contacts::contains, config.autoAcceptContacts,
                config.maxSessions, config.maxMessageBytes);
    }

    /** The transport's callbacks: the chats own the sessions, the core takes the probe answers. */
    public PeerTransport.Listener transportListener() {
        return chats;
    }

    /** Loop thread: wires the bound transport in and connects to the registry. */
    public void start(PeerTransport t) {
        this.transport = t;
        chats.transport(t);
        sink.emit(Events.ready(link.hostPort(), t.localAddress().getPort(), config.dataDir.toString()));
        link.start();
    }

    // ---- commands --------------------------------------------------------------------------------

    /** Runs one command. Loop thread only. */
    public void handle(Command c) {
        loop.assertInLoop();
        if (quitting) {
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
                request(RegistryOpcodes.WHO, null, null, r -> sink.emit(Events.who(readUsers(r))));
                break;
            case VISIBILITY:
                setVisibility(c.arg(0));
                break;
            case CONTACTS:
                request(RegistryOpcodes.CONTACTS, null, null, r -> sink.emit(readContacts(r, true)));
                break;
            case ADD:
                contactCommand(RegistryOpcodes.CONTACT_REQUEST, c.arg(0), "requested");
                break;
            case ACCEPT:
                answer(c.arg(0), true);
                break;
            case DECLINE:
                answer(c.arg(0), false);
                break;
            case REMOVE:
                contactCommand(RegistryOpcodes.CONTACT_REMOVE, c.arg(0), "removed");
                break;
            case BLOCK:
                contactCommand(RegistryOpcodes.BLOCK, c.arg(0), "blocked");
                break;
            case UNBLOCK:
                contactCommand(RegistryOpcodes.UNBLOCK, c.arg(0), "unblocked");
                break;
            case CHAT:
                partner = c.arg(0);
                sink.emit(Events.chat(partner));
                break;
            case MSG:
                send(c.arg(0), c.arg(1));
                break;
            case SAY:
                if (partner == null) {
                    sink.emit(Events.error(Events.NO_CHAT_PARTNER,
                            "no chat partner: pick one with /chat <user>, or send with /msg <user> <text>"));
                } else {
                    send(partner, c.arg(0));
                }
                break;
            case HISTORY:
                history(c.arg(0), c.arg(1));
                break;
            case VERIFY:
                verify(c.arg(0));
                break;
            case STATS:
                sink.emit(chats.stats(link.user()));
                break;
            case HELP:
                sink.emit(help());
                break;
            case QUIT:
                quit();
                break;
            default:
                sink.emit(Events.error(Events.UNKNOWN_COMMAND, "unknown command; type /help"));
        }
    }

    private interface Read {
        void accept(BodyReader r);
    }

    /** A registry request whose failure becomes a clear error event. */
    private void request(int opcode, RegistryClient.Body body, String user, Read onOk) {
        link.request(opcode, body == null ? w -> { } : body, (err, reason, r) -> {
            if (err != 0) {
                sink.emit(Events.error(ErrorText.code(err), notLoggedInOr(err, reason, user)));
                return;
            }
            try {
                onOk.accept(r);
            } catch (WireException e) {
                sink.emit(Events.error("MALFORMED_BODY", "the registry sent a malformed answer: " + e.getMessage()));
            }
        });
    }

    private String notLoggedInOr(int err, String reason, String user) {
        if (err == parley.server.protocol.RegistryErrors.NOT_AUTHENTICATED) {
            return "you are not logged in: /login <user> (or /register <user> first)";
        }
        return ErrorText.explain(err, reason, user);
    }

    private void setVisibility(String level) {
        int v = List.of(VISIBILITY).indexOf(level.toLowerCase(Locale.ROOT));
        if (v < 0) {
            sink.emit(Events.error(Events.USAGE, "usage: /visibility everyone|contacts|nobody"));
            return;
        }
        request(RegistryOpcodes.SET_VISIBILITY, w -> w.u8(v), null, r -> {
            visibility = VISIBILITY[v];
            sink.emit(Events.visibility(visibility));
        });
    }

    private void contactCommand(int opcode, String user, String change) {
        request(opcode, w -> w.string(user), user, r -> {
            if (opcode == RegistryOpcodes.CONTACT_REMOVE || opcode == RegistryOpcodes.BLOCK) {
                contacts.remove(user);
            }
            // Asking back someone who asked us is an accept on the registry: their request is answered.
            contactRequests.remove(user);
            sink.emit(Events.contact(user, change));
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
        if (invite && !contactRequests.contains(user)) {
            return;
        }
        contactRequests.remove(user);
        // With a chat answered too, a contact request answered elsewhere meanwhile is no second outcome.
        int opcode = accept ? RegistryOpcodes.CONTACT_ACCEPT : RegistryOpcodes.CONTACT_DECLINE;
        link.request(opcode, w -> w.string(user), (err, why, r) -> {
            if (err == 0 && accept) {
                contacts.add(user);
            }
            if (err == 0 || !invite) {
                sink.emit(err == 0 ? Events.contact(user, accept ? "accepted" : "declined")
                        : Events.error(ErrorText.code(err), notLoggedInOr(err, why, user)));
            }
        });
    }

    private void send(String user, String text) {
        if (link.user() == null) {
            sink.emit(Events.error(Events.NOT_LOGGED_IN, "you are not logged in: /login <user> first"));
            return;
        }
        chats.send(user, text);
    }

    private void history(String user, String count) {
        int n = 20;
        if (count != null) {
            try {
                n = Integer.parseInt(count);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n <= 0 || n > 10_000) {
                sink.emit(Events.error(Events.USAGE, "usage: /history <user> [n], n from 1 to 10000"));
                return;
            }
        }
        if (link.user() == null) {
            sink.emit(Events.error(Events.NOT_LOGGED_IN, "you are not logged in: history is kept per account; /login first"));
            return;
        }
        int limit = n;
        String me = link.user();
        storage.read(s -> s.history(user, limit), rows -> {
            List<Event.Fields> out = new ArrayList<>();
            for (StoredMessage m : rows) {
                out.add(new Event.Fields().put("id", m.id).put("from", m.outgoing ? me : user).put("text", m.text)
                        .put("sent_at", m.sentAt).put("state", m.state).put("reason", m.reason));
            }
            sink.emit(Events.history(user, out));
        }, e -> sink.emit(Events.error(Events.STORAGE, "cannot read the local history: " + e.getMessage())));
    }

    private void verify(String user) {
        String fp = chats.fingerprint(user);
        if (fp == null) {
            sink.emit(Events.error(Events.NO_SESSION, "no open session with " + user + ": send them a message first"));
            return;
        }
        sink.emit(Events.verify(user, fp));
    }

    private Event help() {
        List<String> lines = new ArrayList<>();
        for (CommandSpec s : CommandSpec.typed()) {
            lines.add(String.format("  %-34s %s", s.usage(), s.help()));
        }
        lines.add("  plain text goes to your /chat partner; start it with // to send a leading slash");
        return Events.help(lines);
    }

    private void logout() {
        if (link.user() == null && !link.loggedIn()) {
            sink.emit(Events.error(Events.NOT_LOGGED_IN, "you are not logged in"));
            return;
        }
        String user = link.user();
        chats.closeAll("you logged out");
        link.logout(() -> sink.emit(Events.loggedOut(user)));
    }

    private void quit() {
        quitting = true;
        loop.cancel(staleTimer);
        // Messages still in flight stay "pending" in the store and are reported failed at the next start.
        link.logout(() -> {
            link.stop();
            sink.emit(Events.bye());
            onQuit.run();
        });
    }

    // ---- registry link callbacks --------------------------------------------------------------

    @Override
    public void onRegistered(String user) {
        sink.emit(Events.registered(user));
    }

    @Override
    public void onLoggedIn(String user, int vis, boolean relogin) {
        visibility = vis >= 0 && vis < VISIBILITY.length ? VISIBILITY[vis] : "unknown";
        sink.emit(Events.loggedIn(user, visibility, relogin));
        if (!relogin) {
            openStore(user);
        }
        refreshContacts();
        loop.schedule(staleTimer, loop.nanoTime() + link.leaseNanos());
    }

    private void openStore(String user) {
        // Pending rows are read in the same storage task as the open, so only earlier runs' count.
        java.nio.file.Path file;
        try {
            file = LocalStore.fileFor(config.dataDir, user);
        } catch (IllegalArgumentException e) {
            sink.emit(Events.error(Events.STORAGE, e.getMessage() + "; messages will not be kept"));
            return;
        }
        storage.open(file, s -> s.failPending(PENDING_AT_EXIT), (lost, error) -> {
            if (error != null) {
                sink.emit(Events.error(Events.STORAGE, "cannot open the local history in " + config.dataDir + ": "
                        + error.getMessage() + "; messages will not be kept"));
                return;
            }
            for (StoredMessage m : lost) {
                sink.emit(Events.failed(m.id, m.peer, PENDING_AT_EXIT));
            }
        });
    }

    /**
     * Seeds contacts, pending requests and presence after a login. Silent the first time; after a
     * reconnect it reports what changed while the registry was away, stale entries included.
     */
    private void refreshContacts() {
        link.request(RegistryOpcodes.CONTACTS, w -> { }, (err, reason, r) -> {
            if (err != 0) {
                return;
            }
            Event e;
            try {
                e = readContacts(r, false);
            } catch (WireException bad) {
                sink.emit(Events.error("MALFORMED_BODY", "the registry sent a malformed answer: " + bad.getMessage()));
                return;
            }
            for (Object o : (List<?>) e.get("contacts")) {
                Event.Fields f = (Event.Fields) o;
                String user = (String) f.get("user");
                PresenceBook.Entry before = presence.get(user);
                boolean known = before != null;
                boolean wasStale = known && before.stale;
                long seen = ((Number) f.get("last_seen")).longValue();
                boolean changed = presence.update(user, stateCode((String) f.get("state")), seen, loop.nanoTime());
                if (wasStale || (known && changed)) {
                    sink.emit(Events.presence(user, (String) f.get("state"), seen));
                }
            }
        });
    }

    private static int stateCode(String s) {
        switch (s) {
            case "online": return PresenceState.ONLINE;
            case "away": return PresenceState.AWAY;
            default: return PresenceState.OFFLINE;
        }
    }

    @Override
    public void onLoginFailed(String code, String message, boolean relogin) {
        sink.emit(Events.error(code, relogin ? "could not log in again after reconnecting: " + message : message));
    }

    @Override
    public void onLinkEvent(String state, String detail) {
        sink.emit(Events.connection(state, detail));
    }

    @Override
    public void onLinkDown() {
        // Open peer sessions carry on over UDP; presence now ages until the registry is back.
    }

    @Override
    public void onHeartbeat(long leaseNanos) {
        presence.confirmAll(loop.nanoTime());
    }

    private void checkStale(long now) {
        for (PresenceBook.Entry e : presence.expire(now, link.leaseNanos())) {
            sink.emit(Events.presence(e.user, PresenceBook.STALE, e.lastSeen));
        }
        if (!quitting) {
            loop.schedule(staleTimer, now + link.leaseNanos() / 3);
        }
    }

    @Override
    public void onPush(int opcode, BodyReader r) {
        try {
            NetworkNames.checkPush(opcode, r);
            switch (opcode) {
                case RegistryOpcodes.PRESENCE:
                    onPresence(r);
                    break;
                case RegistryOpcodes.CONTACT_EVENT:
                    onContactEvent(r);
                    break;
                case RegistryOpcodes.PEER_INVITE:
                    chats.onInvite(r);
                    break;
                case RegistryOpcodes.PEER_READY:
                    chats.onReady(r);
                    break;
                case RegistryOpcodes.PEER_DECLINED:
                    chats.onDeclined(r);
                    break;
                default:
                    break;
            }
        } catch (WireException e) {
            sink.emit(Events.error("MALFORMED_BODY", "ignored a malformed " + RegistryOpcodes.name(opcode)
                    + " from the registry: " + e.getMessage()));
        }
    }

    private void onPresence(BodyReader r) {
        String user = NetworkNames.read(r);
        int state = r.u8();
        long lastSeen = r.i64();
        presence.update(user, state, lastSeen, loop.nanoTime());
        sink.emit(Events.presence(user, PresenceState.name(state), lastSeen));
    }

    private void onContactEvent(BodyReader r) {
        String user = NetworkNames.read(r);
        int kind = r.u8();
        switch (kind) {
            case ContactEvent.REQUESTED:
                contactRequests.add(user);
                sink.emit(Events.contactRequest(user));
                break;
            case ContactEvent.ACCEPTED:
                contacts.add(user);
                contactRequests.remove(user);
                sink.emit(Events.contact(user, "accepted"));
                break;
            case ContactEvent.REMOVED:
                contacts.remove(user);
                contactRequests.remove(user);
                presence.forget(user);
                sink.emit(Events.contact(user, "removed"));
                break;
            default:
                sink.emit(Events.contact(user, ContactEvent.name(kind)));
        }
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
        sink.emit(Events.error(code, message));
    }

    // ---- reading registry lists -----------------------------------------------------------------

    private List<Event.Fields> readUsers(BodyReader r) {
        int n = r.u16();
        List<Event.Fields> out = new ArrayList<>(Math.min(n, 500));
        for (int i = 0; i < n; i++) {
            String user = NetworkNames.read(r);
            int state = r.u8();
            long seen = r.i64();
            out.add(Events.userEntry(user, PresenceState.name(state), seen));
        }
        return out;
    }

    private List<String> readNames(BodyReader r) {
        int n = r.u16();
        List<String> out = new ArrayList<>(Math.min(n, 500));
        for (int i = 0; i < n; i++) {
            out.add(NetworkNames.read(r));
        }
        return out;
    }

    /** Reads a CONTACTS answer and remembers who the contacts and requesters are. */
    private Event readContacts(BodyReader r, boolean showStale) {
        List<Event.Fields> list = readUsers(r);
        List<String> incoming = readNames(r);
        List<String> outgoing = readNames(r);
        List<String> blocked = readNames(r);
        contacts.clear();
        for (Event.Fields f : list) {
            String user = (String) f.get("user");
            contacts.add(user);
            PresenceBook.Entry e = presence.get(user);
            if (showStale && e != null && e.stale) {
                f.put("state", PresenceBook.STALE);
            }
        }
        contactRequests.clear();
        contactRequests.addAll(incoming);
        return Events.contacts(list, incoming, outgoing, blocked);
    }

    public String partner() {
        return partner;
    }

    public String visibility() {
        return visibility;
    }

    public void shutdown() {
        link.stop();
    }
}
