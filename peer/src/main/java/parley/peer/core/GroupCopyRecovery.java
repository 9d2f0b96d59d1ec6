package parley.peer.core;

import parley.peer.event.ClientErrors;
import parley.peer.event.ConsoleEvents;
import parley.peer.event.GroupEvents;
import parley.peer.group.GroupPayload;
import parley.peer.output.EventSink;
import parley.peer.store.GroupCopyLog;
import parley.peer.store.StoreWorker;
import parley.server.protocol.GroupCodes;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The group copies an earlier run of this client left unsettled (PROTOCOL.md 9.3.2), found in the
 * local store ({@link GroupCopyLog}). Two kinds:
 * <ul>
 * <li>Copies still <em>pending</em> when the process stopped (even by kill -9): on a session
 * waiting for the channel's ACK, being sealed, or being deposited. {@link #resume} sends each
 * again at the start of the next run, through the same path a fresh copy takes (the open session
 * with that member, else her mailbox), with membership asked again first: a member who left or
 * was removed since gets nothing, and the copy ends {@code failed not_member}. Why: nothing else
 * would ever send it, so she would never get the message and the sender would see neither
 * {@code delivered} nor {@code failed} for her. Sending again is safe: the member stores a group
 * message once per (group, sender, sequence) and shows a repeat nowhere, but still acknowledges
 * it (ACK, RECEIPT), so a copy that did arrive before the crash ends {@code delivered}, once.</li>
 * <li>Copies <em>queued</em> in a mailbox: a RECEIPT or expiry notice that matched no copy of
 * this run ends them ({@link #settleStored}).</li>
 * </ul>
 * A RECEIPT for a copy this run resumed and that is still on its way ends that copy, so the
 * member is reported once. Loop thread only.
 */
final class GroupCopyRecovery {
    private final Groups groups;
    private final GroupCopies copies;
    private final StoreWorker storage;
    private final EventSink sink;
    private final Supplier<String> self;
    private final Consumer<GroupCopies.Copy> send;
    /**
     * When this run began (the wall clock group messages are stamped with): a pending copy of a
     * message sent since is this run's own, already on its way, and is not sent twice (a message
     * sent right after login can be stored before the identity keys are ready).
     */
    private final long runStartedAt = System.currentTimeMillis();

    /** {@code send}: the fresh copies' path (membership, then session or mailbox). */
    GroupCopyRecovery(Groups groups, GroupCopies copies, StoreWorker storage, EventSink sink, Supplier<String> self,
                      Consumer<GroupCopies.Copy> send) {
        this.groups = groups;
        this.copies = copies;
        this.storage = storage;
        this.sink = sink;
        this.self = self;
        this.send = send;
    }

    /**
     * Once per run, when the identity keys are loaded (a copy may need sealing): every copy still
     * pending is sent again, in the group's order. The store is read after the groups are loaded,
     * and each copy is taken up in the same loop task as the read's answer, so a RECEIPT the
     * store settles later finds it live ({@link #settleStored}), and one settled earlier is not
     * read as pending.
     */
    void resume() {
        groups.whenLoaded(() -> {
            String me = Groups.lower(self.get());
            storage.read(s -> s.groupCopies().pending(me), this::resend, e -> sink.emit(new ConsoleEvents.Error(
                    ClientErrors.STORAGE, "cannot read the group copies left on their way: " + e.getMessage())));
        });
    }

    private void resend(List<GroupCopyLog.Pending> rows) {
        for (GroupCopyLog.Pending p : rows) {
            if (p.sentAt() >= runStartedAt || copies.live(p.member(), p.id()) != null) {
                continue; // this run's own copy
            }
            GroupState g = groups.byId(p.group());
            if (g == null || !GroupCodes.isMember(g.role)) {
                forget(p.id(), p.member()); // we are out of the group ourselves: nobody to tell, nothing to send
                continue;
            }
            byte[] body = new GroupPayload(g.id, p.sequence(), p.lamport(), g.roster.version(), p.text()).encode();
            send.accept(new GroupCopies.Copy(g, p.id(), p.member(), p.sentAt(), body));
        }
    }

    private void forget(long id, String member) {
        storage.write(s -> {
            s.groupCopies().failed(id, member);
            return null;
        });
    }

    /**
     * A RECEIPT ({@code reached}) or expiry notice that matched no copy of this run's memory and no
     * 1:1 message: perhaps a copy an earlier run left in {@code member}'s mailbox (or on its way
     * there), found in the store. A member no longer in the group is not counted as reached (as in
     * {@link GroupCopies}).
     */
    void settleStored(String member, long id, boolean reached, Consumer<Boolean> done) {
        String who = Groups.lower(member);
        storage.read(s -> s.groupCopies().settle(id, who, reached), group -> {
            done.accept(true);
            if (group != null) {
                groups.whenLoaded(() -> endStored(group, who, id, reached));
            }
        }, e -> {
            sink.emit(new ConsoleEvents.Error(ClientErrors.STORAGE, "cannot record a group delivery: " + e.getMessage()));
            done.accept(false);
        });
    }

    private void endStored(byte[] group, String who, long id, boolean reached) {
        GroupCopies.Copy live = copies.live(who, id);
        if (live != null) { // resumed by this run and still on its way: it ends here, and only here
            if (!reached) {
                copies.failed(live, Mailroom.EXPIRED);
            } else if (groups.stillMember(live.g, who)) {
                copies.delivered(live);
            } else {
                copies.failed(live, GroupCopies.NOT_MEMBER);
            }
            return;
        }
        GroupState g = groups.byId(group);
        if (g == null) {
            return; // we left the group: nothing to tell
        }
        if (!reached) {
            sink.emit(new GroupEvents.GroupFailed(g.name, id, who, Mailroom.EXPIRED));
        } else if (groups.stillMember(g, who)) {
            g.reached.merge(id, 1, Integer::sum);
            sink.emit(new GroupEvents.GroupDelivered(g.name, id, who));
        } else {
            forget(id, who);
            sink.emit(new GroupEvents.GroupFailed(g.name, id, who, GroupCopies.NOT_MEMBER));
        }
    }
}
