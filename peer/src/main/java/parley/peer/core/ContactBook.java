package parley.peer.core;

import parley.core.loop.EventLoop;
import parley.core.loop.Timer;
import parley.core.wire.BodyReader;
import parley.core.wire.WireException;
import parley.peer.event.ClientErrors;
import parley.peer.event.ConsoleEvents;
import parley.peer.event.ContactEvents;
import parley.peer.output.EventSink;
import parley.server.protocol.PresenceState;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.ContactEventPush;
import parley.server.protocol.NameBody;
import parley.server.protocol.UserEntry;
import parley.server.protocol.client.RegistryClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * The contacts half of the peer, on the loop: who our contacts are, who asked to become one, and
 * what we believe about their presence ({@link PresenceBook}). Kept from CONTACTS answers and the
 * PRESENCE and CONTACT_EVENT pushes, which this class owns; runs the contact commands
 * ({@code /who}, {@code /contacts}, {@code /add}, {@code /remove}, {@code /block}, {@code /unblock}
 * and the contact side of {@code /accept} and {@code /decline}).
 */
final class ContactBook implements ContactGate {
    private final EventLoop loop;
    private final RegistryRequests link;
    private final UserRequests requests;
    private final EventSink sink;
    private final LongSupplier leaseNanos;
    private final PresenceBook presence = new PresenceBook();
    private final Set<String> contacts = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    private final Set<String> askedUs = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    /** Users we blocked: their group messages are stored but not shown (PROTOCOL.md 9.3.2). */
    private final Set<String> blocked = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    /** Told of each user we just blocked: the session with them ends (PROTOCOL.md 9.3.2, Blocking). */
    private java.util.function.Consumer<String> onBlocked = u -> { };
    private final Timer staleTimer = new Timer(this::checkStale);
    /** Reset at each login, set by that login's first CONTACTS answer: see {@link ContactGate}. */
    private boolean loaded;
    /** Decisions waiting for {@link #loaded}, in the order asked. */
    private final List<Runnable> waiting = new ArrayList<>();
    private boolean stopped;

    ContactBook(EventLoop loop, RegistryRequests link, EventSink sink, LongSupplier leaseNanos) {
        this(loop, link, sink, leaseNanos, List::of);
    }

    /** With {@code verified}: the contacts whose identity the user confirmed, for /contacts. */
    ContactBook(EventLoop loop, RegistryRequests link, EventSink sink, LongSupplier leaseNanos,
                java.util.function.Supplier<List<String>> verified) {
        this.verified = verified;
        this.loop = loop;
        this.link = link;
        this.requests = new UserRequests(link, sink);
        this.sink = sink;
        this.leaseNanos = leaseNanos;
        link.onPush(RegistryOpcodes.PRESENCE, this::onPresence);
        link.onPush(RegistryOpcodes.CONTACT_EVENT, this::onContactEvent);
    }

    private final java.util.function.Supplier<List<String>> verified;

    @Override
    public boolean isContact(String user) {
        return contacts.contains(user);
    }

    boolean isBlocked(String user) {
        return blocked.contains(user);
    }

    @Override
    public boolean loaded() {
        return loaded;
    }

    @Override
    public void whenLoaded(Runnable then) {
        if (loaded) {
            then.run();
        } else {
            waiting.add(then);
        }
    }

    /** Opens the gate: what waited runs now, in order (a callback may add more; they run too). */
    private void opened() {
        loaded = true;
        while (!waiting.isEmpty()) {
            waiting.remove(0).run();
        }
    }

    // ---- commands --------------------------------------------------------------------------------

    void who() {
        requests.send(RegistryOpcodes.WHO, null, null, r -> {
            List<ContactEvents.UserState> users = new ArrayList<>();
            for (UserLists.Listed u : UserLists.users(r)) {
                users.add(new ContactEvents.UserState(u.user(), PresenceState.name(u.state()), u.lastSeen()));
            }
            sink.emit(new ContactEvents.Who(users));
        });
    }

    /** {@code /contacts}: the registry's lists, with what has gone stale here shown as stale. */
    void list() {
        requests.send(RegistryOpcodes.CONTACTS, null, null, r -> {
            UserLists.Contacts c = remember(UserLists.Contacts.read(r));
            opened(); // a CONTACTS answer of this login, like the one asked at login
            List<ContactEvents.UserState> shown = new ArrayList<>();
            for (UserLists.Listed u : c.contacts()) {
                PresenceBook.Entry e = presence.get(u.user());
                String state = e != null && e.stale ? PresenceBook.STALE : PresenceState.name(u.state());
                shown.add(new ContactEvents.UserState(u.user(), state, u.lastSeen()));
            }
            sink.emit(new ContactEvents.Contacts(shown, c.incoming(), c.outgoing(), c.blocked(), verified.get()));
        });
    }

    void onBlocked(java.util.function.Consumer<String> then) {
        this.onBlocked = then;
    }

    /** {@code /add}, {@code /remove}, {@code /block}, {@code /unblock}; {@code change} names the outcome. */
    void change(int opcode, String user, String change) {
        requests.send(opcode, w -> NameBody.write(w, user), user, r -> {
            if (opcode == RegistryOpcodes.CONTACT_REMOVE || opcode == RegistryOpcodes.BLOCK) {
                contacts.remove(user);
            }
            if (opcode == RegistryOpcodes.BLOCK) {
                blocked.add(user);
                onBlocked.accept(user);
            } else if (opcode == RegistryOpcodes.UNBLOCK) {
                blocked.remove(user);
            }
            // Asking back someone who asked us is an accept on the registry: their request is answered.
            askedUs.remove(user);
            sink.emit(new ContactEvents.Contact(user, change));
        });
    }

    /**
     * The contact side of {@code /accept} and {@code /decline}. With {@code chatAnswered} (the same
     * command answered a chat request) it only acts on a contact request we know of, and reports
     * only success: a request answered elsewhere meanwhile is no second outcome.
     */
    void answer(String user, boolean accept, boolean chatAnswered) {
        if (chatAnswered && !askedUs.contains(user)) {
            return;
        }
        askedUs.remove(user);
        int opcode = accept ? RegistryOpcodes.CONTACT_ACCEPT : RegistryOpcodes.CONTACT_DECLINE;
        link.request(opcode, w -> NameBody.write(w, user), (err, why, r) -> {
            if (err == 0 && accept) {
                contacts.add(user);
            }
            if (err == 0 || !chatAnswered) {
                sink.emit(err == 0 ? new ContactEvents.Contact(user, accept ? "accepted" : "declined")
                        : UserRequests.failure(err, why, user));
            }
        });
    }

    // ---- the registry link ---------------------------------------------------------------------

    /** After each login: seeds the lists and presence, and starts ageing presence. */
    void loggedIn() {
        loaded = false; // the list may have changed while we were away: wait for this login's answer
        refresh();
        loop.schedule(staleTimer, loop.nanoTime() + leaseNanos.getAsLong());
    }

    /** An answered heartbeat: everything the registry did not push about still holds. */
    void confirmAll() {
        presence.confirmAll(loop.nanoTime());
    }

    void stop() {
        stopped = true;
        loop.cancel(staleTimer);
    }

    /**
     * Seeds contacts, pending requests and presence after a login. Silent the first time; after a
     * reconnect it reports what changed while the registry was away, stale entries included.
     */
    private void refresh() {
        link.request(RegistryOpcodes.CONTACTS, w -> { }, (err, reason, r) -> {
            if (err == RegistryClient.CONNECTION_LOST) {
                return; // the next login asks again, and its answer opens the gate
            }
            if (err != 0) {
                opened(); // no better answer will come this login: decide on what we know
                return;
            }
            UserLists.Contacts c;
            try {
                c = remember(UserLists.Contacts.read(r));
            } catch (WireException bad) {
                sink.emit(new ConsoleEvents.Error(ClientErrors.MALFORMED_BODY,
                        "the registry sent a malformed answer: " + bad.getMessage()));
                opened();
                return;
            }
            opened();
            for (UserLists.Listed u : c.contacts()) {
                PresenceBook.Entry before = presence.get(u.user());
                boolean known = before != null;
                boolean wasStale = known && before.stale;
                boolean changed = presence.update(u.user(), u.knownState(), u.lastSeen(), loop.nanoTime());
                if (wasStale || (known && changed)) {
                    sink.emit(new ContactEvents.Presence(u.user(), PresenceState.name(u.state()), u.lastSeen()));
                }
            }
        });
    }

    /** Takes the contacts and the requests to us from a CONTACTS answer. */
    private UserLists.Contacts remember(UserLists.Contacts c) {
        contacts.clear();
        for (UserLists.Listed u : c.contacts()) {
            contacts.add(u.user());
        }
        askedUs.clear();
        askedUs.addAll(c.incoming());
        blocked.clear();
        blocked.addAll(c.blocked());
        return c;
    }

    private void checkStale(long now) {
        for (PresenceBook.Entry e : presence.expire(now, leaseNanos.getAsLong())) {
            sink.emit(new ContactEvents.Presence(e.user, PresenceBook.STALE, e.lastSeen));
        }
        if (!stopped) {
            loop.schedule(staleTimer, now + leaseNanos.getAsLong() / 3);
        }
    }

    private void onPresence(BodyReader r) {
        UserEntry entry = UserEntry.decode(r);
        String user = NetworkNames.checked(entry.name());
        int state = entry.presence();
        long lastSeen = entry.lastSeenMillis();
        presence.update(user, state, lastSeen, loop.nanoTime());
        sink.emit(new ContactEvents.Presence(user, PresenceState.name(state), lastSeen));
    }

    private void onContactEvent(BodyReader r) {
        ContactEventPush push = ContactEventPush.decode(r);
        String user = NetworkNames.checked(push.name());
        int kind = push.kind();
        switch (kind) {
            case ContactEventPush.REQUESTED:
                askedUs.add(user);
                sink.emit(new ContactEvents.ContactRequest(user));
                break;
            case ContactEventPush.ACCEPTED:
                contacts.add(user);
                askedUs.remove(user);
                sink.emit(new ContactEvents.Contact(user, "accepted"));
                break;
            case ContactEventPush.REMOVED:
                contacts.remove(user);
                askedUs.remove(user);
                presence.forget(user);
                sink.emit(new ContactEvents.Contact(user, "removed"));
                break;
            default:
                sink.emit(new ContactEvents.Contact(user, ContactEventPush.kindName(kind)));
        }
    }
}
