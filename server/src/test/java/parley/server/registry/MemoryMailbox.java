package parley.server.registry;

import parley.server.store.Completion;
import parley.server.store.MailDepositResult;
import parley.server.store.MailExpiry;
import parley.server.store.MailPageRows;
import parley.server.store.MailRow;
import parley.server.store.MailboxUsage;
import parley.server.store.MailboxWrites;
import parley.server.store.StorageFailure;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import java.util.function.LongFunction;
import java.util.function.ToIntFunction;

/**
 * The mailbox kept in memory and completed at once, for the {@link Harness}: the semantics of
 * SqliteMailbox (sequences never reused, idempotent deposits, paging by budget, expiry with
 * EXPIRED notices), which {@code MailboxStoreTest} checks on SQLite itself.
 */
final class MemoryMailbox implements MailboxWrites {
    private record Entry(long recipient, long seq, Long sender, long messageId, long at, long expires, int kind, byte[] blob,
                         String about) {
    }

    private final TreeMap<Long, TreeMap<Long, Entry>> boxes = new TreeMap<>();
    private final TreeMap<Long, Long> lastSeq = new TreeMap<>();
    private final LongFunction<String> names;
    private StorageFailure failNext;
    private java.util.List<Runnable> held;

    MemoryMailbox(LongFunction<String> names) {
        this.names = names;
    }

    void failNext(StorageFailure e) {
        failNext = e;
    }

    /**
     * From now on, do each operation at once but hold its completion back until {@link #release},
     * as the storage thread does while the loop goes on: deposits then overlap in flight.
     */
    void hold() {
        held = new ArrayList<>();
    }

    /** Delivers the held completions in order, and completes at once again. */
    void release() {
        List<Runnable> now = held;
        held = null;
        now.forEach(Runnable::run);
    }

    private <T> void done(T value, Completion<T> done) {
        StorageFailure e = failNext;
        failNext = null;
        T v = e == null ? value : null;
        if (held != null) {
            held.add(() -> done.complete(v, e));
        } else {
            done.complete(v, e);
        }
    }

    private TreeMap<Long, Entry> box(long account) {
        return boxes.computeIfAbsent(account, k -> new TreeMap<>());
    }

    private long next(long account) {
        long s = lastSeq.getOrDefault(account, 0L) + 1;
        lastSeq.put(account, s);
        return s;
    }

    @Override
    public void mailDeposit(long sender, long recipient, long messageId, long depositedAtMillis, long expiresAtMillis,
                            byte[] blob, boolean mayInsert, Completion<MailDepositResult> done) {
        if (failNext != null) {
            done(null, done);
            return;
        }
        for (Entry e : box(recipient).values()) {
            if (e.sender() != null && e.sender() == sender && e.messageId() == messageId) {
                done(new MailDepositResult(false, e.seq(), e.expires()), done);
                return;
            }
        }
        if (!mayInsert) {
            done(null, done);
            return;
        }
        long seq = next(recipient);
        box(recipient).put(seq, new Entry(recipient, seq, sender, messageId, depositedAtMillis, expiresAtMillis, MailRow.SEALED,
                blob.clone(), null));
        done(new MailDepositResult(true, seq, expiresAtMillis), done);
    }

    @Override
    public void mailFetch(long recipient, long afterSequence, int maxEntries, int budget, ToIntFunction<MailRow> cost,
                          Completion<MailPageRows> done) {
        List<MailRow> rows = new ArrayList<>();
        boolean more = false;
        int used = 0;
        for (Entry e : box(recipient).tailMap(afterSequence, false).values()) {
            MailRow row = new MailRow(e.seq(), e.kind(), e.at(), e.blob() == null ? null : e.blob().clone(), e.about(), e.messageId());
            int c = cost.applyAsInt(row);
            if (rows.size() == maxEntries || (!rows.isEmpty() && used + c > budget)) {
                more = true;
                break;
            }
            rows.add(row);
            used += c;
        }
        done(new MailPageRows(more, rows), done);
    }

    @Override
    public void mailAck(long recipient, long upToSequence, Completion<MailboxUsage> done) {
        if (failNext != null) {
            done(null, done);
            return;
        }
        int count = 0;
        long bytes = 0;
        for (Iterator<Entry> it = box(recipient).headMap(upToSequence, true).values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            count++;
            bytes += e.blob() == null ? 0 : e.blob().length;
            it.remove();
        }
        done(new MailboxUsage(recipient, count, bytes), done);
    }

    @Override
    public void mailExpire(long nowMillis, long noticeTtlMillis, int limit, Completion<MailExpiry> done) {
        List<Entry> due = new ArrayList<>();
        for (TreeMap<Long, Entry> box : boxes.values()) {
            for (Entry e : box.values()) {
                if (e.expires() <= nowMillis) {
                    due.add(e);
                }
            }
        }
        due.sort((a, b) -> Long.compare(a.expires(), b.expires()));
        boolean more = due.size() > limit;
        List<MailboxUsage> removed = new ArrayList<>();
        List<MailboxUsage> notices = new ArrayList<>();
        for (Entry e : due.subList(0, Math.min(limit, due.size()))) {
            box(e.recipient()).remove(e.seq());
            removed.add(new MailboxUsage(e.recipient(), 1, e.blob() == null ? 0 : e.blob().length));
            if (e.kind() == MailRow.SEALED && e.sender() != null) {
                long seq = next(e.sender());
                box(e.sender()).put(seq, new Entry(e.sender(), seq, null, e.messageId(), nowMillis, nowMillis + noticeTtlMillis,
                        MailRow.EXPIRED, null, names.apply(e.recipient())));
                notices.add(new MailboxUsage(e.sender(), 1, 0));
            }
        }
        done(new MailExpiry(removed, notices, more), done);
    }

    @Override
    public void mailUsage(Completion<List<MailboxUsage>> done) {
        List<MailboxUsage> out = new ArrayList<>();
        boxes.forEach((account, box) -> {
            if (!box.isEmpty()) {
                out.add(new MailboxUsage(account, box.size(),
                        box.values().stream().mapToLong(e -> e.blob() == null ? 0 : e.blob().length).sum()));
            }
        });
        done(out, done);
    }
}
