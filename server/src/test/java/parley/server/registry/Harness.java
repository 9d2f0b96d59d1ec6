package parley.server.registry;

import parley.core.loop.ManualClock;
import parley.core.loop.Timer;
import parley.core.loop.TimerQueue;
import parley.server.store.Snapshot;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The registry's rules with nothing real around them, as Netty's EmbeddedChannel does for a
 * pipeline: no sockets (each {@link HarnessClient} is a captured {@link Link}), no SQLite (a
 * {@link MemoryStore} that completes at once), no hashing threads (proofs are checked inline) and
 * no loop thread (timers fire when the test moves the {@link ManualClock}). Everything runs on the
 * test's thread, so a whole scenario takes milliseconds and is deterministic.
 */
final class Harness implements AutoCloseable {
    final ManualClock clock = new ManualClock();
    final MemoryStore store = new MemoryStore();
    final MemoryMailbox mail;
    final MemoryGroups groups = new MemoryGroups();
    final RegistryConfig config;
    final RegistryRules rules;
    private final TimerQueue timers = new TimerQueue();
    private final Deque<HarnessClient> closing = new ArrayDeque<>();
    private int nextPort = 40_000;

    Harness() {
        this(ServerFixture.manyUsers(new RegistryConfig()));
    }

    Harness(RegistryConfig config) {
        this.config = config;
        Timers t = new Timers() {
            @Override
            public long nanoTime() {
                return clock.nanoTime();
            }

            @Override
            public void schedule(Timer timer, long deadlineNanos) {
                timers.schedule(timer, deadlineNanos);
            }

            @Override
            public void cancel(Timer timer) {
                timers.cancel(timer);
            }
        };
        ProofChecks inline = new ProofChecks() {
            @Override
            public boolean submit(java.util.concurrent.Callable<String> check, java.util.function.BiConsumer<String, Throwable> onResult) {
                String value = null;
                Throwable error = null;
                try {
                    value = check.call();
                } catch (Throwable e) {
                    error = e;
                }
                onResult.accept(value, error);
                return true;
            }

            @Override
            public void close() {
            }
        };
        Snapshot empty = new Snapshot(new byte[32], List.of(), List.of(), List.of(), List.of());
        RegistryRules[] built = new RegistryRules[1];
        this.mail = new MemoryMailbox(id -> built[0].registry.byId(id).name);
        this.rules = new RegistryRules(config, t, store, mail, inline, empty, List.of(), groups,
                parley.server.store.GroupRows.EMPTY);
        built[0] = rules;
    }

    /** A new connection from 127.0.0.1, taken as the listener would take it; null if refused. */
    HarnessClient connect() {
        return connect(new InetSocketAddress("127.0.0.1", nextPort++));
    }

    HarnessClient connect(InetSocketAddress from) {
        if (rules.sessions.refusal(from) != 0) {
            return null;
        }
        HarnessClient c = new HarnessClient(this, from);
        c.session = rules.sessions.open(c.link);
        return c;
    }

    /** A client registered and logged in as {@code name} (password "pw-" + name). */
    HarnessClient user(String name) {
        HarnessClient c = connect();
        c.register(name);
        c.login(name);
        return c;
    }

    /** Moves the clock and fires every timer now due, then lets closed connections go. */
    void advance(long amount, TimeUnit unit) {
        clock.advance(amount, unit);
        while (timers.expire(clock.nanoTime(), Integer.MAX_VALUE) > 0) {
            settle();
        }
        settle();
    }

    /** A link closed by the registry is let go after the current step, as the loop would. */
    void closing(HarnessClient c) {
        closing.add(c);
    }

    /** Runs the close of each link the registry closed: its session ends as on a real close. */
    void settle() {
        for (HarnessClient c; (c = closing.poll()) != null; ) {
            rules.router.onClosed(c.session);
        }
    }

    @Override
    public void close() {
        rules.close();
    }
}
