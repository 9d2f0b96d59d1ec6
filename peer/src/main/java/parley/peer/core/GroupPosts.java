package parley.peer.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.peer.core.MailDrain.GroupMail.Taken;
import parley.peer.event.ClientErrors;
import parley.peer.event.ConsoleEvents;
import parley.peer.event.GroupEvents;
import parley.peer.group.GroupPayload;
import parley.peer.group.GroupTimeline;
import parley.peer.mail.SealedMail;
import parley.peer.net.PeerTransport;
import parley.peer.output.EventSink;
import parley.peer.store.GroupLog;
import parley.peer.store.StoreWorker;
import parley.server.protocol.GroupCodes;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Group messages (PROTOCOL.md 9.3.2): pairwise fan-out and what arrives. A message goes to each
 * member of the roster, one copy each: over the open, authenticated session with that member
 * (chat payload kind 0x04, delivered by the channel's ACK), else sealed into their mailbox
 * (kind 3, delivered by their RECEIPT); a copy lost with its session goes to the mailbox too.
 * Membership is asked again just before each copy leaves, so a member removed is sent nothing
 * after we learned of it. What arrives (session or mailbox) is stored once per (sender,
 * sequence), placed in the group's {@link GroupTimeline}, and shown unless the sender is blocked;
 * a gap in a sender's sequence makes the mailbox be read, and one still open after that is
 * reported. Loop thread only.
 */
final class GroupPosts implements GroupWire {
    private static final Logger log = LoggerFactory.getLogger(GroupPosts.class);
    /** kind, message id, sent at: the chat payload's bytes before the group body (9.3.1). */
    private static final int CHAT_HEADER = 1 + 8 + 8;

    private final Groups groups;
    private final Conversations chats;
    private final Mailroom mailroom;
    private final MailDrain drain;
    private final RegistryRequests link;
    private final StoreWorker storage;
    private final EventSink sink;
    private final Predicate<String> blocked;
    private final SecureRandom random = new SecureRandom();
    private final ByteBuffer out = ByteBuffer.allocate(CHAT_HEADER + GroupPayload.HEADER + GroupPayload.MAX_TEXT);
    private final GroupCopies copies;
    private final GroupCopyRecovery recovery;
    /** Gaps already reported, so each is told once: group, sender, first missing sequence. */
    private final Set<String> reported = new HashSet<>();
    private final GroupCatchUp catchUp = new GroupCatchUp();

    GroupPosts(Groups groups, Conversations chats, Mailroom mailroom, MailDrain drain, RegistryRequests link,
               StoreWorker storage, EventSink sink, Predicate<String> blocked) {
        this.groups = groups;
        this.chats = chats;
        this.mailroom = mailroom;
        this.drain = drain;
        this.link = link;
        this.storage = storage;
        this.sink = sink;
        this.blocked = blocked;
        this.copies = new GroupCopies(sink, storage);
        groups.onRemoved(copies::memberRemoved);
        chats.groups(this);
        mailroom.groupReceipts(this::receipt);
        mailroom.groupExpiries(this::expired);
        this.recovery = new GroupCopyRecovery(groups, copies, storage, sink, link::user, this::copy);
        mailroom.storedGroupCopies(recovery::settleStored);
        drain.groups(this::fromMailbox, () -> catchUp.flush(sink), this::reportGaps);
    }

    // ---- sending --------------------------------------------------------------------------------

    /** {@code /msg #g text}: stored, placed, then one copy per member. */
    void send(String typed, String text) {
        GroupState g = groups.named(typed);
        if (g == null || !GroupCodes.isMember(g.role)) {
            sink.emit(new ConsoleEvents.Error(Groups.NO_SUCH_GROUP, "no such group: #" + Groups.bare(typed)
                    + (g == null ? "" : " (accept the invitation first: /accept #" + g.name + ")")));
            return;
        }
        int size = ChatPayload.textLength(text);
        if (size > GroupPayload.MAX_TEXT) {
            sink.emit(new ConsoleEvents.Error(ClientErrors.MESSAGE_TOO_LARGE, "message too large: " + size
                    + " bytes, the limit is " + GroupPayload.MAX_TEXT + "; split it into parts"));
            return;
        }
        if (!g.loaded || g.stale) {
            groups.load(g, () -> send(typed, text)); // the roster first: fan out to the members of now
            return;
        }
        long[] next = g.timeline.nextSend();
        long lamport = next[0];
        long seq = next[1];
        long id = random.nextLong() & Long.MAX_VALUE;
        long sentAt = System.currentTimeMillis();
        byte[] body = new GroupPayload(g.id, seq, lamport, g.roster.version(), text).encode();
        String me = Groups.lower(link.user());
        g.timeline.receive(me, seq, lamport, text, id, sentAt);
        GroupLog.Row row = new GroupLog.Row(g.id, me, seq, lamport, id, text, sentAt);
        List<String> members = g.roster.recipients();
        g.reached.put(id, 0);
        sink.emit(new GroupEvents.GroupSending(g.name, id, text, members.size()));
        // Durable before any copy leaves: a crash after a copy left but before the row was written
        // would make the next run send this sequence again, and every member drop it as a repeat.
        // Each member's copy is recorded pending with it, so the next run resends what this one leaves.
        List<String> recorded = List.copyOf(members);
        storage.read(s -> s.addOwnGroupMessage(row, recorded), stored -> fanOut(g, id, sentAt, body), e -> {
            sink.emit(new ConsoleEvents.Error(ClientErrors.STORAGE, "cannot store the message to #" + g.name + ": " + e.getMessage()));
            fanOut(g, id, sentAt, body);
        });
    }

    /** One copy per member, the membership asked again as each leaves (it may have changed while the row was written). */
    private void fanOut(GroupState g, long id, long sentAt, byte[] body) {
        for (String m : g.roster.recipients()) {
            copy(new GroupCopies.Copy(g, id, m, sentAt, body));
        }
    }

    /** At the start of a run: the copies an earlier run left pending go again ({@link GroupCopyRecovery}). */
    void resume() {
        recovery.resume();
    }

    private void copy(GroupCopies.Copy c) {
        copies.started(c);
        if (!groups.stillMember(c.g, c.to)) {
            copies.failed(c, GroupCopies.NOT_MEMBER); // removed since the send: nothing after the removal
            return;
        }
        Conversation conv = chats.find(c.to);
        if (conv != null && conv.state == Conversation.State.OPEN && conv.authenticated) {
            out.clear();
            out.put((byte) GroupPayload.CHAT_KIND).putLong(c.id).putLong(c.sentAt).put(c.body).flip();
            long tid = chats.transport().send(conv.localId, out);
            if (tid != PeerTransport.REFUSED) {
                copies.sent(conv.localId, tid, c);
                return;
            }
        }
        toMailbox(c);
    }

    /** Recorded in the store before it leaves (a later run may hear its RECEIPT), then deposited. */
    private void toMailbox(GroupCopies.Copy c) {
        storage.read(s -> {
            s.groupCopies().out(c.g.id, c.id, c.to);
            return Boolean.TRUE;
        }, ok -> deposit(c), e -> {
            sink.emit(new ConsoleEvents.Error(ClientErrors.STORAGE, "cannot record the copy to " + c.to + " of a message to #"
                    + c.g.name + ": " + e.getMessage()));
            deposit(c);
        });
    }

    private void deposit(GroupCopies.Copy c) {
        mailroom.depositGroup(c.to, c.id, c.sentAt, c.body, () -> groups.stillMember(c.g, c.to), (err, reason) -> {
            if (c.over) {
                return; // ended meanwhile: she was removed
            }
            if (err == 0) {
                copies.mailed(c);
                sink.emit(new GroupEvents.GroupQueued(c.g.name, c.id, c.to));
            } else {
                copies.failed(c, groups.stillMember(c.g, c.to) ? reason : GroupCopies.NOT_MEMBER);
            }
        });
    }

    @Override
    public boolean settle(long sid, long tid, String failure, boolean lost) {
        GroupCopies.Copy c = copies.settledOnSession(sid, tid);
        if (c == null) {
            return false;
        }
        if (failure == null) {
            copies.delivered(c);
        } else if (lost && !c.over) {
            toMailbox(c); // perhaps received, perhaps not: the receiver drops a repeat
        } else {
            copies.failed(c, failure);
        }
        return true;
    }

    /** The registry's notice that our mailbox copy {@code id} to {@code to} expired unread: failed for her. */
    private boolean expired(String to, long id) {
        GroupCopies.Copy c = copies.mailboxSettled(to, id);
        if (c == null) {
            return false;
        }
        copies.failed(c, Mailroom.EXPIRED);
        return true;
    }

    private boolean receipt(String from, long id) {
        GroupCopies.Copy c = copies.mailboxSettled(from, id);
        if (c == null) {
            return false;
        }
        copies.delivered(c);
        return true;
    }

    // ---- receiving ------------------------------------------------------------------------------

    @Override
    public int receive(Conversation c, ByteBuffer payload) {
        int at = payload.position();
        if (payload.remaining() < 1 || payload.get(at) != GroupPayload.CHAT_KIND) {
            return -1;
        }
        if (payload.remaining() < CHAT_HEADER + GroupPayload.HEADER) {
            return ChatPayload.REJECT_MALFORMED;
        }
        if (payload.remaining() - CHAT_HEADER - GroupPayload.HEADER > GroupPayload.MAX_TEXT) {
            return ChatPayload.REJECT_TOO_LARGE;
        }
        long id = payload.getLong(at + 1);
        long sentAt = payload.getLong(at + 9);
        byte[] body = new byte[payload.remaining() - CHAT_HEADER];
        payload.duplicate().position(at + CHAT_HEADER).get(body);
        GroupPayload p = GroupPayload.decode(body);
        if (p == null) {
            return ChatPayload.REJECT_MALFORMED;
        }
        String from = Groups.lower(c.user);
        if (groups.loaded()) {
            GroupState g = groups.byId(p.groupId());
            if (g == null || !GroupCodes.isMember(g.role)) {
                // Removed (perhaps while this copy was in flight): refused, so the sender never counts us as reached.
                log.info("refused a group message from {}: not a group of ours", from);
                return ChatPayload.REJECT_NOT_MEMBER;
            }
        }
        groups.whenLoaded(() -> take(from, id, sentAt, p, false, stored -> { }));
        return 0;
    }

    /** A group mail from the mailbox, signature checked: placed, then the drain acknowledges it. */
    private void fromMailbox(SealedMail.Mail m, Consumer<Taken> stored) {
        GroupPayload p = GroupPayload.decode(m.body());
        if (p == null) {
            log.warn("refused a malformed group mail from {}", m.sender());
            stored.accept(Taken.DROPPED);
            return;
        }
        groups.whenLoaded(() -> take(Groups.lower(m.sender()), m.id(), m.sentAt(), p, true, stored));
    }

    private void take(String from, long id, long sentAt, GroupPayload p, boolean fromMail, Consumer<Taken> done) {
        GroupState g = groups.byId(p.groupId());
        if (g == null || !GroupCodes.isMember(g.role)) {
            log.info("dropped a group message from {}: not a group of ours", from);
            done.accept(Taken.DROPPED); // no receipt: the sender must not count us as reached
            return;
        }
        if (!g.loaded || !g.roster.isMember(from) && p.version() > g.roster.version()) {
            groups.load(g, () -> placeIfMember(g, from, id, sentAt, p, fromMail, done)); // a newer membership than ours
            return;
        }
        placeIfMember(g, from, id, sentAt, p, fromMail, done);
    }

    /** A message from the mailbox ({@code fromMail}) is shown when its drain ends, with the rest it brought: {@link GroupCatchUp}. */
    private void placeIfMember(GroupState g, String from, long id, long sentAt, GroupPayload p, boolean fromMail,
                               Consumer<Taken> done) {
        if (!g.roster.isMember(from)) {
            log.info("dropped a message for #{} from {}: not a member", g.name, from);
            done.accept(Taken.DROPPED);
            return;
        }
        GroupLog.Row row = new GroupLog.Row(g.id, from, p.sequence(), p.lamport(), id, p.text(), sentAt);
        storage.read(s -> s.groups().addIfNew(row), isNew -> {
            GroupTimeline.Placed placed = g.timeline.receive(from, p.sequence(), p.lamport(), p.text(), id, sentAt);
            if (isNew && placed != GroupTimeline.Placed.DUPLICATE && !blocked.test(from)) {
                GroupEvents.GroupMessage shown = new GroupEvents.GroupMessage(g.name, from, id, p.text(), sentAt,
                        placed == GroupTimeline.Placed.LATE);
                if (fromMail) {
                    catchUp.hold(p.lamport(), from, shown);
                } else {
                    sink.emit(shown);
                }
            }
            if (!g.timeline.gaps(from).isEmpty()) {
                drain.start(); // the missing copies may be waiting in the mailbox
            }
            done.accept(Taken.STORED);
        }, e -> done.accept(Taken.RETRY));
    }

    /** After a drain: what it brought is shown in order, then every gap still open is reported, once. */
    private void reportGaps() {
        catchUp.flush(sink);
        for (GroupState g : groups.all()) {
            for (String sender : g.timeline.sendersWithGaps()) {
                List<Long> missing = g.timeline.gaps(sender);
                String key = GroupState.key(g.id) + "/" + sender + "/" + missing.get(0);
                if (reported.add(key)) {
                    sink.emit(new GroupEvents.GroupGap(g.name, sender, missing.get(0), missing.size()));
                }
            }
        }
    }

    // ---- history --------------------------------------------------------------------------------

    /**
     * {@code /history #g [n]}: the last n messages in the order every member displays. Answered
     * after the storage thread's queue: every message that arrived before the command is placed
     * by then (placing waits for its store write).
     */
    void history(String typed, int n) {
        GroupState known = groups.named(typed);
        byte[] id = known == null ? null : known.id;
        storage.read(s -> id == null ? Map.<Long, Integer>of() : s.groupCopies().reached(id), counts -> showHistory(typed, n, counts),
                e -> showHistory(typed, n, Map.of()));
    }

    /** {@code stored}: the reach of our messages as the store has it, earlier runs included (it has this run's too). */
    private void showHistory(String typed, int n, Map<Long, Integer> stored) {
        GroupState g = groups.named(typed);
        if (g == null || !GroupCodes.isMember(g.role)) {
            sink.emit(new ConsoleEvents.Error(Groups.NO_SUCH_GROUP, "no such group: #" + Groups.bare(typed)));
            return;
        }
        GroupTimeline.View v = g.timeline.view(blocked);
        List<GroupTimeline.Entry> shown = v.shown();
        List<GroupEvents.GroupLine> lines = new ArrayList<>();
        String me = Groups.lower(link.user());
        for (GroupTimeline.Entry e : shown.subList(Math.max(0, shown.size() - n), shown.size())) {
            int reached = e.sender().equals(me) ? stored.getOrDefault(e.id(), g.reached.getOrDefault(e.id(), -1)) : -1;
            lines.add(new GroupEvents.GroupLine(e.sender(), e.id(), e.text(), e.sentAt(), reached));
        }
        sink.emit(new GroupEvents.GroupHistory(g.name, lines, v.hidden()));
    }
}
