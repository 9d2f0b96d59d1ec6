package parley.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.loop.EventLoop;
import parley.server.registry.PortInUseException;
import parley.server.registry.RegistryConfig;
import parley.server.registry.RegistryServer;
import parley.core.util.PrivateFiles;
import parley.core.tls.ServerIdentity;
import parley.core.tls.TlsContexts;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** `./parley server`: runs the registry until SIGTERM or SIGINT, then stops gracefully with exit 0. */
@Command(name = "parley server", mixinStandardHelpOptions = true,
        description = "Runs the Parley registry: accounts, sessions, presence, contacts and visibility.")
public final class ServerMain implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServerMain.class);

    @Option(names = "--port", description = "TCP port (default: ${DEFAULT-VALUE})")
    int port = 7400;

    @Option(names = "--udp-port", description = "UDP port for endpoint probes (default: the same number as --port)")
    Integer udpPort;

    @Option(names = "--bind", description = "address to bind (default: ${DEFAULT-VALUE})")
    String bind = "127.0.0.1";

    @Option(names = "--data", description = "data directory, created if missing (default: ${DEFAULT-VALUE})")
    Path data = Path.of("data");

    @Option(names = "--max-connections", description = "connections held at most (default: ${DEFAULT-VALUE})")
    int maxConnections = 20_000;

    @Option(names = "--session-timeout", description = "seconds without traffic before a session is dropped (default: ${DEFAULT-VALUE})")
    double sessionTimeout = 15;

    @Option(names = "--rate-limit", description = "requests per second per session (default: ${DEFAULT-VALUE})")
    int rateLimit = 200;

    @Option(names = "--burst", description = "request burst per session above the rate (default: ${DEFAULT-VALUE})")
    int burst = 400;

    @Option(names = "--max-unauthenticated-per-address", paramLabel = "n",
            description = "connections one source address may hold before logging in; 0: no cap (default: ${DEFAULT-VALUE})")
    int maxUnauthenticatedPerAddress = new RegistryConfig().maxUnauthenticatedPerAddress;

    @Option(names = "--registrations-per-network", description = "REGISTER per hour from one /24 or /64, also the burst (default: ${DEFAULT-VALUE})")
    int registrationsPerNetwork = 10;

    @Option(names = "--registrations-per-second", description = "REGISTER per second from all networks together (default: ${DEFAULT-VALUE})")
    int registrationsPerSecond = 20;

    @Option(names = "--logins-per-network", description = "unfinished logins at once from one /24 or /64 (default: ${DEFAULT-VALUE})")
    int loginsPerNetwork = 8;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM certificate chain of an operator certificate (clients use --tls-system-trust); needs --tls-key")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM PKCS#8 private key for --tls-cert (unencrypted)")
    Path tlsKey;

    @Option(names = "--insecure-plaintext",
            description = "serve without TLS: everything, passwords' keys included, travels in clear. Tests and benchmarks only")
    boolean insecurePlaintext;

    @Option(names = "--allow-scram-without-binding",
            description = "on TLS, also accept logins without channel binding (SCRAM-SHA-256 instead of -PLUS)")
    boolean allowScramWithoutBinding;

    @picocli.CommandLine.Mixin
    RelayOptions relayOptions = new RelayOptions();
    @picocli.CommandLine.Mixin
    StoreOptions storeOptions = new StoreOptions();
    @Option(names = "--mailbox-max-count", paramLabel = "n",
            description = "mailbox entries per recipient at most; more is MAILBOX_FULL (default: ${DEFAULT-VALUE})")
    int mailboxMaxCount = new RegistryConfig().mailboxMaxCount;

    @Option(names = "--mailbox-max-bytes", paramLabel = "bytes",
            description = "sealed bytes per recipient's mailbox at most (default: ${DEFAULT-VALUE}, 4 MiB)")
    long mailboxMaxBytes = new RegistryConfig().mailboxMaxBytes;

    @Option(names = "--mailbox-ttl", paramLabel = "duration", converter = MailboxTtl.class,
            description = "how long mail waits for its recipient before it expires and its sender is told: 30d, 12h, 90m, 45s (default: 30d)")
    long mailboxTtlMillis = new RegistryConfig().mailboxTtlMillis;

    @Option(names = "--bus", paramLabel = "redis://host:port",
            description = "cluster mode: the Redis 7 that links this node to the other registry nodes (docs/SCALING.md); needs --node-id")
    String bus;

    @Option(names = "--node-id", paramLabel = "id", description = "cluster mode: this node's id, unique in the cluster (1-32 of A-Z a-z 0-9 _ . -)")
    String nodeId;

    @Option(names = "--cluster-lease", paramLabel = "seconds",
            description = "cluster mode: a dead node's users go offline elsewhere this long after it was last heard (default: ${DEFAULT-VALUE})")
    double clusterLease = 6;

    @Option(names = "--reuse-port",
            description = "share the TCP port with other registry processes on this machine (SO_REUSEPORT); give each its own --udp-port and --data")
    boolean reusePort;

    /** Exit status for a start refused for a reason the user can fix: a taken port or data directory. */
    static final int EXIT_USAGE = 2;
    private static final String PROGRAM = "parley server";

    @Override
    public Integer call() throws Exception {
        RegistryConfig config = new RegistryConfig();
        config.maxConnections = maxConnections;
        config.maxUnauthenticatedPerAddress = maxUnauthenticatedPerAddress;
        config.sessionTimeoutNanos = (long) (sessionTimeout * 1e9);
        config.requestsPerSecond = rateLimit;
        config.requestBurst = Math.max(burst, 1);
        config.registerBurstPerNetwork = Math.max(registrationsPerNetwork, 1);
        config.registerIntervalPerNetworkNanos = TimeUnit.HOURS.toNanos(1) / config.registerBurstPerNetwork;
        config.registerPerSecond = Math.max(registrationsPerSecond, 1);
        config.registerBurst = Math.max(config.registerPerSecond * 10, 1);
        config.maxOpenLoginsPerNetwork = Math.max(loginsPerNetwork, 1);
        config.allowScramWithoutBinding = allowScramWithoutBinding;
        relayOptions.apply(config);
        config.mailboxMaxCount = Math.max(mailboxMaxCount, 1);
        config.mailboxMaxBytes = Math.max(mailboxMaxBytes, parley.server.protocol.Limits.MAX_MAIL_BLOB_BYTES);
        config.mailboxTtlMillis = mailboxTtlMillis;
        config.reusePort = reusePort;
        config.clusterLeaseNanos = (long) (Math.max(clusterLease, 0.5) * 1e9);
        int udp = udpPort == null ? port : udpPort;
        if (bus != null) {
            if (nodeId == null) {
                return refuse("--bus needs --node-id: each node of a cluster has its own id");
            }
            try {
                // Connects before the loop serves: the loop itself never waits for Redis.
                config.bus = parley.server.cluster.RedisBus.connect(bus, nodeId);
            } catch (RuntimeException e) {
                return refuse("cannot reach the cluster bus " + bus + ": " + e.getMessage());
            }
        }
        DataDirLock lock;
        RegistryServer server;
        try {
            PrivateFiles.createDirectories(data); // 0700: the database inside holds every account's keys
            lock = DataDirLock.acquire(data);
        } catch (DataDirLock.HeldException e) {
            config.bus.close();
            return refuse(e.getMessage());
        } catch (java.io.IOException e) {
            config.bus.close();
            return refuse("cannot use data directory " + data + ": " + e);
        }
        try {
            config.tls = tlsContext();
        } catch (Exception e) {
            lock.close();
            config.bus.close();
            return refuse("cannot load the TLS identity: " + e.getMessage());
        }
        if (!parley.server.store.Stores.isValid(storeOptions.store())) {
            lock.close();
            return refuse("--store takes a postgresql://user@host:port/db URI (without it: SQLite in the data directory)");
        }
        try {
            log.info("store: {}", parley.server.store.Stores.describe(storeOptions.store(), data));
            server = RegistryServer.start(config, new InetSocketAddress(bind, port), new InetSocketAddress(bind, udp),
                    parley.server.store.Stores.open(storeOptions.store(), data), parley.core.loop.NanoClock.SYSTEM);
        } catch (PortInUseException e) {
            lock.close();
            config.bus.close();
            return refuse(portInUse(e.port(), e.protocol()));
        } catch (Exception e) {
            lock.close();
            config.bus.close();
            log.debug("start failed", e);
            return refuse("cannot start: " + e);
        }
        try (lock) {
            return serve(server);
        } finally {
            config.bus.close();
        }
    }

    /**
     * The registry's TLS context, or null with {@code --insecure-plaintext}. Reads (or, the first
     * time, creates) the identity here, before the loop starts, so no disk or key generation runs
     * on it. Always prints the fingerprint, one line, so an operator can hand it to users to pin.
     */
    private javax.net.ssl.SSLContext tlsContext() throws Exception {
        if (insecurePlaintext) {
            System.err.println(PLAINTEXT_WARNING);
            System.err.flush();
            return null;
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        ServerIdentity identity;
        if (tlsCert != null) {
            identity = ServerIdentity.load(tlsCert, tlsKey);
        } else {
            identity = ServerIdentity.loadOrCreate(data, "parley-registry").identity;
        }
        fingerprint = identity.fingerprint();
        return TlsContexts.server(identity);
    }

    /** Printed once serving, before the ready line: the pin users give with --server-fingerprint. */
    private String fingerprint;

    /** The start of the line that gives the server's key fingerprint; the demo and scripts read it. */
    public static final String FINGERPRINT_LINE = "tls fingerprint ";
    static final String PLAINTEXT_WARNING = "WARNING: --insecure-plaintext: the registry connection is not encrypted and "
            + "the server is not authenticated; anyone on the path can read keys and tokens. For tests and benchmarks only.";

    /** The one line for a taken port, naming the port, its protocol and the flags that move it. */
    static String portInUse(int port, String protocol) {
        return "port " + port + "/" + protocol + " is in use: is another parley server running? choose one with --port/--udp-port";
    }

    private static int refuse(String line) {
        System.err.println(line);
        System.err.flush();
        return EXIT_USAGE;
    }

    private int serve(RegistryServer server) throws Exception {
        InetSocketAddress tcp = server.tcpAddress();
        InetSocketAddress udpBound = server.udpAddress();
        if (fingerprint != null) {
            System.out.println(FINGERPRINT_LINE + fingerprint);
        }
        System.out.println("listening on tcp " + tcp.getAddress().getHostAddress() + ":" + tcp.getPort()
                + ", udp " + udpBound.getAddress().getHostAddress() + ":" + udpBound.getPort());
        System.out.flush();
        CountDownLatch stop = new CountDownLatch(1);
        Signals.onTermination(stop::countDown);
        stop.await();
        log.info("stopping");
        server.close();
        return 0;
    }

    public static void main(String[] args) {
        // A registry whose loop died serves nobody; exit so a supervisor sees it and restarts it.
        EventLoop.setDefaultDeathHook(EventLoop.DeathHook.exitProcess(PROGRAM, EventLoop.EXIT_LOOP_DIED));
        int code = new CommandLine(new ServerMain()).execute(args);
        System.exit(code);
    }
}
