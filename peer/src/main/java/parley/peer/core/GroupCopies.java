package parley.peer.core;

import parley.peer.event.GroupEvents;
import parley.peer.output.EventSink;
import parley.peer.store.StoreWorker;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The copies of our group messages that are out but not settled (PROTOCOL.md 9.3.2): those on a
 * session until the channel's ACK or REJECT, those in a mailbox until the member's RECEIPT or the
 * registry's expiry notice. Each
 * ends once, as {@code delivered} or {@code failed} for its member. A member removed from the
 * group ends every copy still out to her as failed {@link #NOT_MEMBER}: a removed member never
 * confirms a copy (she drops it, 9.3.2), so the sender would otherwise wait for ever, and a late
 * ACK or RECEIPT for such a copy is ignored, so a non-member is never counted as reached. Each
 * end is written to the local store ({@link parley.peer.store.GroupCopyLog}), where every copy was
 * recorded pending before it left: a RECEIPT reaching a later run still finds it there, and a copy
 * a run left pending is sent again by the next ({@link GroupCopyRecovery}). Loop thread only.
 */
final class GroupCopies {
    /** The reason of a copy that ended because its member is not (or no longer) in the group. */
    static final String NOT_MEMBER = "not_member";

    /** One member's copy of one message; {@code over} once it was reported. */
    static final class Copy {
        final GroupState g;
        final long id;
        final String to;
        final long sentAt;
        final byte[] body;
        boolean over;

        Copy(GroupState g, long id, String to, long sentAt, byte[] body) {
            this.g = g;
            this.id = id;
            this.to = to;
            this.sentAt = sentAt;
            this.body = body;
        }
    }

    private record OnSession(long sid, long tid) {
    }

    private final EventSink sink;
    private final StoreWorker storage;
    private final Map<OnSession, Copy> onSession = new HashMap<>();
    /** Copies in mailboxes, by member and id, until that member's RECEIPT. */
    private final Map<String, Copy> mailed = new HashMap<>();
    /** Every copy of this run not yet ended, by member and id, wherever it is (session, sealing, mailbox). */
    private final Map<String, Copy> live = new HashMap<>();

    GroupCopies(EventSink sink, StoreWorker storage) {
        this.sink = sink;
        this.storage = storage;
    }

    /** {@code c} starts its way (fresh, or resumed from an earlier run). */
    void started(Copy c) {
        live.put(c.to + "/" + c.id, c);
    }

    /** This run's copy {@code id} to {@code member} that has not ended yet; null if none. */
    Copy live(String member, long id) {
        return live.get(Groups.lower(member) + "/" + id);
    }

    void sent(long sid, long tid, Copy c) {
        onSession.put(new OnSession(sid, tid), c);
    }

    /** The member's mailbox holds {@code c}: recorded queued, so a later run does not deposit it again. */
    void mailed(Copy c) {
        mailed.put(c.to + "/" + c.id, c);
        storage.write(s -> {
            s.groupCopies().queued(c.id, c.to);
            return null;
        });
    }

    /** The copy sent as transport message {@code tid} of session {@code sid}, now settled there; null if none. */
    Copy settledOnSession(long sid, long tid) {
        return onSession.remove(new OnSession(sid, tid));
    }

    /**
     * The mailbox copy {@code id} to {@code member}, now settled there (her RECEIPT came, or the
     * registry's notice that it expired unread); null if none is out.
     */
    Copy mailboxSettled(String member, long id) {
        return mailed.remove(Groups.lower(member) + "/" + id);
    }

    void delivered(Copy c) {
        if (c.over) {
            return;
        }
        c.over = true;
        live.remove(c.to + "/" + c.id);
        c.g.reached.merge(c.id, 1, Integer::sum);
        storage.write(s -> {
            s.groupCopies().delivered(c.g.id, c.id, c.to);
            return null;
        });
        sink.emit(new GroupEvents.GroupDelivered(c.g.name, c.id, c.to));
    }

    void failed(Copy c, String reason) {
        if (c.over) {
            return;
        }
        c.over = true;
        live.remove(c.to + "/" + c.id);
        storage.write(s -> {
            s.groupCopies().failed(c.id, c.to);
            return null;
        });
        sink.emit(new GroupEvents.GroupFailed(c.g.name, c.id, c.to, reason));
    }

    /**
     * {@code user} left or was removed from {@code g}: every copy still out to her fails as
     * {@link #NOT_MEMBER}. The session copies stay mapped (ended), so their ACK changes nothing.
     */
    void memberRemoved(GroupState g, String user) {
        String who = Groups.lower(user);
        for (Iterator<Copy> it = mailed.values().iterator(); it.hasNext(); ) {
            Copy c = it.next();
            if (java.util.Arrays.equals(c.g.id, g.id) && c.to.equals(who)) {
                it.remove();
                failed(c, NOT_MEMBER);
            }
        }
        for (Copy c : onSession.values()) {
            if (java.util.Arrays.equals(c.g.id, g.id) && c.to.equals(who)) {
                failed(c, NOT_MEMBER);
            }
        }
    }
}
