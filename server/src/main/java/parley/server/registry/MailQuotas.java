package parley.server.registry;

import parley.core.util.LongObjectMap;
import parley.server.store.MailboxUsage;

import java.util.List;

/**
 * The mailbox quota counters (PROTOCOL.md 7.10), owned by the loop: entries and sealed bytes per
 * recipient, rebuilt from the database at startup, so the quota is decided without touching disk.
 * A deposit reserves its place before it goes to storage and gives it back if nothing was stored,
 * so deposits in flight count and concurrent ones can never overshoot. Loop thread only.
 */
final class MailQuotas {
    /** Told of every change made here, so the other nodes on a shared store follow (ClusterAccounts). */
    interface Changes {
        void changed(long account, int count, long bytes);
    }

    private Changes changes = (account, count, bytes) -> { };

    private static final class Usage {
        int count;
        long bytes;
    }

    private LongObjectMap<Usage> byAccount = new LongObjectMap<>();
    private final int maxCount;
    private final long maxBytes;

    MailQuotas(List<MailboxUsage> atStartup, RegistryConfig config) {
        this.maxCount = config.mailboxMaxCount;
        this.maxBytes = config.mailboxMaxBytes;
        for (MailboxUsage u : atStartup) {
            add(u.account(), u.count(), u.bytes());
        }
    }

    /** Reserves one entry of {@code bytes} in {@code account}'s mailbox; false (nothing reserved) when it is full. */
    boolean reserve(long account, int bytes) {
        Usage u = byAccount.get(account);
        int count = u == null ? 0 : u.count;
        long used = u == null ? 0 : u.bytes;
        if (count + 1 > maxCount || used + bytes > maxBytes) {
            return false;
        }
        add(account, 1, bytes);
        return true;
    }

    /** Every counter as stored (a cluster node back from a cut, on a shared store): not told again. */
    void reset(List<MailboxUsage> stored) {
        byAccount = new LongObjectMap<>();
        for (MailboxUsage u : stored) {
            apply(u.account(), u.count(), u.bytes());
        }
    }

    void tell(Changes c) {
        this.changes = c;
    }

    /** Entries the registry itself puts there (EXPIRED notices), never refused. */
    void add(long account, int count, long bytes) {
        apply(account, count, bytes);
        changes.changed(account, count, bytes);
    }

    /** A change another node made to the shared mailbox (negative to remove): not told again. */
    void apply(long account, int count, long bytes) {
        if (count < 0) {
            drop(account, -count, -bytes);
            return;
        }
        Usage u = byAccount.get(account);
        if (u == null) {
            u = new Usage();
            byAccount.put(account, u);
        }
        u.count += count;
        u.bytes += bytes;
    }

    /** What an ack or an expiry deleted, or a reservation that stored nothing. */
    void remove(long account, int count, long bytes) {
        drop(account, count, bytes);
        changes.changed(account, -count, -bytes);
    }

    private void drop(long account, int count, long bytes) {
        Usage u = byAccount.get(account);
        if (u == null) {
            return;
        }
        u.count -= count;
        u.bytes -= bytes;
        if (u.count <= 0) {
            byAccount.remove(account);
        }
    }

    int count(long account) {
        Usage u = byAccount.get(account);
        return u == null ? 0 : u.count;
    }

    long bytes(long account) {
        Usage u = byAccount.get(account);
        return u == null ? 0 : u.bytes;
    }
}
