package parley.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.server.registry.RegistryConfig;
import parley.server.registry.RegistryServer;
import parley.server.store.PrivateFiles;
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

    @Option(names = "--udp-port", description = "UDP port for endpoint probes (default: ${DEFAULT-VALUE})")
    int udpPort = 7400;

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

    @Option(names = "--registrations-per-network", description = "REGISTER per hour from one /24 or /64, also the burst (default: ${DEFAULT-VALUE})")
    int registrationsPerNetwork = 10;

    @Option(names = "--registrations-per-second", description = "REGISTER per second from all networks together (default: ${DEFAULT-VALUE})")
    int registrationsPerSecond = 20;

    @Option(names = "--logins-per-network", description = "unfinished logins at once from one /24 or /64 (default: ${DEFAULT-VALUE})")
    int loginsPerNetwork = 8;

    @Override
    public Integer call() throws Exception {
        PrivateFiles.createDirectories(data); // 0700: the database inside holds every account's keys
        RegistryConfig config = new RegistryConfig();
        config.maxConnections = maxConnections;
        config.sessionTimeoutNanos = (long) (sessionTimeout * 1e9);
        config.requestsPerSecond = rateLimit;
        config.requestBurst = Math.max(burst, 1);
        config.registerBurstPerNetwork = Math.max(registrationsPerNetwork, 1);
        config.registerIntervalPerNetworkNanos = TimeUnit.HOURS.toNanos(1) / config.registerBurstPerNetwork;
        config.registerPerSecond = Math.max(registrationsPerSecond, 1);
        config.registerBurst = Math.max(config.registerPerSecond * 10, 1);
        config.maxOpenLoginsPerNetwork = Math.max(loginsPerNetwork, 1);
        RegistryServer server = RegistryServer.start(config, new InetSocketAddress(bind, port),
                new InetSocketAddress(bind, udpPort), data.resolve("registry.db"));
        InetSocketAddress tcp = server.tcpAddress();
        InetSocketAddress udp = server.udpAddress();
        System.out.println("listening on tcp " + tcp.getAddress().getHostAddress() + ":" + tcp.getPort()
                + ", udp " + udp.getAddress().getHostAddress() + ":" + udp.getPort());
        System.out.flush();
        CountDownLatch stop = new CountDownLatch(1);
        Signals.onTermination(stop::countDown);
        stop.await();
        log.info("stopping");
        server.close();
        return 0;
    }

    public static void main(String[] args) {
        int code = new CommandLine(new ServerMain()).execute(args);
        System.exit(code);
    }
}
