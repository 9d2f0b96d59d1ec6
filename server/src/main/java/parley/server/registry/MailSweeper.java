package parley.server.registry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.loop.Timer;
import parley.server.store.MailExpiry;
import parley.server.store.MailboxUsage;
import parley.server.store.MailboxWrites;

/**
 * Expires mailbox entries (PROTOCOL.md 7.10): every {@link RegistryConfig#mailboxSweepNanos} on
 * the loop's clock it asks storage to delete what expired by the registry's wall clock; storage
 * puts the EXPIRED notices in the senders' mailboxes in the same transaction. Back on the loop the
 * quota counters follow and the senders who are logged in hear MAIL_WAITING. One pass at a time;
 * a pass that stopped at its limit is followed at once by another. Loop thread only.
 */
final class MailSweeper {
    private static final Logger log = LoggerFactory.getLogger(MailSweeper.class);

    private final Registry registry;
    private final Mailbox mailbox;
    private final MailQuotas quotas;
    private final MailboxWrites store;
    private final Timers timers;
    private final RegistryConfig config;
    private final Timer timer = new Timer(now -> sweep());
    private boolean running;
    private boolean stopped;

    MailSweeper(Registry registry, Mailbox mailbox, MailQuotas quotas, MailboxWrites store, Timers timers, RegistryConfig config) {
        this.registry = registry;
        this.mailbox = mailbox;
        this.quotas = quotas;
        this.store = store;
        this.timers = timers;
        this.config = config;
        schedule();
    }

    private void schedule() {
        if (!stopped) {
            timers.schedule(timer, timers.nanoTime() + config.mailboxSweepNanos);
        }
    }

    /** One expiry pass now (the timer's, or a test's). */
    void sweep() {
        if (running || stopped) {
            return;
        }
        running = true;
        long now = config.wallClockMillis.getAsLong();
        store.mailExpire(now, config.mailboxTtlMillis, config.mailboxSweepLimit, (done, error) -> {
            running = false;
            if (error != null) {
                log.warn("mailbox expiry failed; retrying at the next pass: {}", error.toString());
                schedule();
                return;
            }
            apply(done);
            if (done.more()) {
                sweep();
            } else {
                schedule();
            }
        });
    }

    private void apply(MailExpiry done) {
        for (MailboxUsage u : done.removed()) {
            quotas.remove(u.account(), u.count(), u.bytes());
        }
        for (MailboxUsage u : done.notices()) {
            quotas.add(u.account(), u.count(), u.bytes());
        }
        java.util.Set<Long> told = new java.util.HashSet<>();
        for (MailboxUsage u : done.notices()) {
            Account sender = registry.byId(u.account());
            if (sender != null && told.add(u.account())) {
                mailbox.waiting(sender);
            }
        }
    }

    void stop() {
        stopped = true;
        timers.cancel(timer);
    }
}
