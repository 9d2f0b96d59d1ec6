package parley.server.registry;

import parley.server.store.RegistryWrites;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.loop.EventLoop;
import parley.core.loop.NanoClock;
import parley.core.loop.Timer;
import parley.core.tcp.TcpConfig;
import parley.core.tcp.TcpListener;
import parley.core.tcp.TlsConfig;
import parley.core.loop.WorkQueue;
import parley.core.udp.UdpChannel;

import parley.server.auth.HashingPool;
import parley.server.protocol.RelayDatagram;
import parley.server.store.GroupCommitter;
import parley.server.store.RegistryStore;
import parley.server.store.SqliteStore;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A running registry: one loop holding the TCP listener, every session and the UDP probe port,
 * with storage on its own thread. Used by the command line and, in-process, by tests and benches.
 */
public final class RegistryServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RegistryServer.class);

    private final EventLoop loop;
    private final GroupCommitter store;
    private RegistryRules rules;
    private TcpListener listener;
    private UdpChannel udp;
    private WorkQueue<Runnable> tlsTasks;
    private boolean closed;

    private RegistryServer(EventLoop loop, GroupCommitter store) {
        this.loop = loop;
        this.store = store;
    }

    /**
     * Opens the database, loads it on the storage thread, then builds the registry and binds both
     * ports on the loop. Returns once it is serving.
     */
    public static RegistryServer start(RegistryConfig config, InetSocketAddress tcp, InetSocketAddress udp, Path database)
            throws Exception {
        return start(config, tcp, udp, database, NanoClock.SYSTEM);
    }

    /**
     * As {@link #start(RegistryConfig, InetSocketAddress, InetSocketAddress, Path)}, on the given
     * monotonic clock: every lease, login deadline and invitation expiry runs on it, so a test
     * with a {@link parley.core.loop.ManualClock} moves them by hand. (Wall-clock times come from
     * {@link RegistryConfig#wallClockMillis}.)
     */
    public static RegistryServer start(RegistryConfig config, InetSocketAddress tcp, InetSocketAddress udp, Path database,
                                       NanoClock clock) throws Exception {
        return start(config, tcp, udp, SqliteStore.open(database), clock);
    }

    /**
     * As {@link #start(RegistryConfig, InetSocketAddress, InetSocketAddress, Path, NanoClock)}, on
     * a store already opened: SQLite's, or PostgreSQL's in cluster mode (issue 16). The server
     * owns {@code opened} from here on and closes it, also when the start fails.
     */
    public static RegistryServer start(RegistryConfig config, InetSocketAddress tcp, InetSocketAddress udp, RegistryStore opened,
                                       NanoClock clock) throws Exception {
        EventLoop loop = new EventLoop("registry-loop", clock);
        config.sharedStore = opened.sharedByNodes();
        GroupCommitter store = GroupCommitter.start(opened, loop);
        RegistryServer server = new RegistryServer(loop, store);
        loop.start();
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        store.loadAll((snapshot, error) -> {
            if (error != null) {
                ready.completeExceptionally(error);
                return;
            }
            store.mailUsage((mailUsage, mailError) -> {
                if (mailError != null) {
                    ready.completeExceptionally(mailError);
                    return;
                }
                store.groupsLoad((groupRows, groupError) -> {
                    if (groupError != null) {
                        ready.completeExceptionally(groupError);
                        return;
                    }
                    try {
                        server.rules = new RegistryRules(config, Timers.of(loop), store, store,
                                ProofChecks.of(new HashingPool(loop)), snapshot, mailUsage, store, groupRows);
                        server.bind(config, tcp, udp);
                        server.rules.cluster.start(loop::execute);
                        ready.complete(snapshot.accounts().size());
                    } catch (Exception e) {
                        ready.completeExceptionally(e);
                    }
                });
            });
        });
        try {
            int accounts = ready.get(30, TimeUnit.SECONDS);
            log.info("registry loaded {} accounts", accounts);
        } catch (Exception e) {
            loop.close();
            server.closeTlsTasks();
            if (server.rules != null) {
                server.rules.close();
            }
            store.close();
            throw e instanceof ExecutionException && e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
        return server;
    }

    private void bind(RegistryConfig config, InetSocketAddress tcp, InetSocketAddress udpAddress) throws Exception {
        TcpConfig tcpConfig = TcpConfig.DEFAULT.withMaxFrameLength(config.maxFrameLength);
        listener = bindTcp(config, tcp, tcpConfig);
        try {
            ProbeHandler probe = new ProbeHandler(rules.sessions, rules.timers);
            RelayForwarder relay = config.relayEnabled ? new RelayForwarder(rules.relays, rules.timers) : null;
            udp = UdpChannel.open(loop, udpAddress, new RegistryUdp(probe, relay), RelayDatagram.MAX_LENGTH);
            rules.introductions.remote.relayAt(udp.localAddress());
        } catch (java.net.BindException e) {
            throw PortInUseException.ifInUse("udp", udpAddress.getPort(), e);
        }
    }

    private TcpListener bindTcp(RegistryConfig config, InetSocketAddress tcp, TcpConfig tcpConfig) throws Exception {
        try {
            TlsConfig tls = null;
            if (config.tls != null) {
                tlsTasks = TlsConfig.newTaskPool("registry-tls", config.tlsThreads, config.tlsQueue);
                // A stalled handshake is a connection that has not logged in: the same deadline.
                tls = TlsConfig.server(config.tls, tlsTasks).withHandshakeTimeout(config.loginTimeoutNanos);
            }
            return TcpListener.bind(loop, tcp, c -> {
                int refusal = rules.sessions.refusal(c.remoteAddress());
                if (refusal != 0) {
                    return new Refuser(refusal, refusalReason(refusal, config));
                }
                Session s = rules.sessions.open(new TcpLink(c));
                return new RegistryHandler(rules.router, s);
            }, tcpConfig, tls, config.reusePort);
        } catch (java.net.BindException e) {
            throw PortInUseException.ifInUse("tcp", tcp.getPort(), e);
        }
    }

    private static String refusalReason(int code, RegistryConfig config) {
        switch (code) {
            case parley.core.wire.ErrorCode.SERVER_FULL: return "the registry is full; try again later";
            case parley.core.wire.ErrorCode.TOO_MANY_CONNECTIONS:
                return "your address already holds " + config.maxUnauthenticatedPerAddress
                        + " connections that have not logged in";
            default: return "the registry is shutting down";
        }
    }

    private void closeTlsTasks() {
        if (tlsTasks != null) {
            tlsTasks.close();
        }
    }

    public InetSocketAddress tcpAddress() {
        return listener.localAddress();
    }

    public InetSocketAddress udpAddress() {
        return udp.localAddress();
    }

    /** Cluster mode: whether this node serves (it has heard its own bus heartbeat back); always true alone. */
    public boolean serving() throws Exception {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        loop.execute(() -> f.complete(rules.cluster.serving()));
        return f.get(10, TimeUnit.SECONDS);
    }

    public EventLoop loop() {
        return loop;
    }

    /** The relay's counters (PROTOCOL.md 7.8), read on the loop. */
    public RelayStats relayStats() throws Exception {
        CompletableFuture<RelayStats> f = new CompletableFuture<>();
        loop.execute(() -> f.complete(rules.relays.stats()));
        return f.get(10, TimeUnit.SECONDS);
    }

    /** Runs {@code query} on the loop and waits for its answer; for tests and tools. */
    public <T> T query(java.util.function.Function<Registry, T> query) throws Exception {
        return loop.submit(() -> query.apply(rules.registry)).get(10, TimeUnit.SECONDS);
    }

    /**
     * Graceful stop: no new connections, every session is told and given up to two seconds to
     * read it, then storage finishes its queue and closes.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        CompletableFuture<Void> drained = new CompletableFuture<>();
        loop.execute(() -> {
            listener.close();
            udp.close();
            rules.sessions.shutdown();
            long deadline = loop.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            Timer[] check = new Timer[1];
            check[0] = new Timer(now -> {
                if (rules.registry.connectionCount() == 0 || now >= deadline) {
                    drained.complete(null);
                } else {
                    loop.schedule(check[0], now + TimeUnit.MILLISECONDS.toNanos(20));
                }
            });
            loop.schedule(check[0], loop.nanoTime());
        });
        try {
            drained.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("sessions did not drain before shutdown: {}", e.toString());
        }
        loop.close();
        closeTlsTasks();
        rules.close();
        store.close();
        log.info("registry stopped; relay: {}", rules.relays.stats());
    }
}
