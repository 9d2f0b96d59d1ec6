package parley.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.loop.EventLoop;
import parley.server.registry.PortInUseException;
import parley.server.registry.RegistryConfig;
import parley.server.registry.RegistryServer;
import parley.core.util.PrivateFiles;
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
        int udp = udpPort == null ? port : udpPort;
        DataDirLock lock;
        RegistryServer server;
        try {
            PrivateFiles.createDirectories(data); // 0700: the database inside holds every account's keys
            lock = DataDirLock.acquire(data);
        } catch (DataDirLock.HeldException e) {
            return refuse(e.getMessage());
        } catch (java.io.IOException e) {
            return refuse("cannot use data directory " + data + ": " + e);
        }
        try {
            server = RegistryServer.start(config, new InetSocketAddress(bind, port), new InetSocketAddress(bind, udp),
                    data.resolve("registry.db"));
        } catch (PortInUseException e) {
            lock.close();
            return refuse(portInUse(e.port(), e.protocol()));
        } catch (Exception e) {
            lock.close();
            log.debug("start failed", e);
            return refuse("cannot start: " + e);
        }
        try (lock) {
            return serve(server);
        }
    }

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
