package parley.bench.nat;

import parley.core.tls.ServerIdentity;
import parley.core.tls.TlsContexts;
import parley.server.registry.RegistryConfig;
import parley.server.registry.RegistryServer;
import parley.server.registry.RelayStats;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The registry of {@code parley server} (same {@link RegistryServer}, TLS identity and relay, at
 * the defaults the lab's {@link LabRegistry} passes) with one addition for the lab: its relay
 * counters on request. {@code parley server} keeps them in the process (RegistryServer.relayStats);
 * this main prints them when a line {@code stats} arrives on stdin, as
 * {@code relay_stats <field>=<n> ...}, so a test in another namespace can check what the relay
 * forwarded and dropped. Args: bind address, data directory, {@code on|off} for the relay.
 */
public final class LabRegistryMain {
    private LabRegistryMain() {
    }

    public static void main(String[] args) throws Exception {
        String bind = args[0];
        Path data = Path.of(args[1]);
        RegistryConfig config = new RegistryConfig();
        config.relayEnabled = !"off".equals(args[2]);
        // Every lab peer comes from one of two router addresses in one /24: lift the per-network limits.
        config.registerBurstPerNetwork = 10_000;
        config.registerIntervalPerNetworkNanos = java.util.concurrent.TimeUnit.HOURS.toNanos(1) / config.registerBurstPerNetwork;
        config.maxOpenLoginsPerNetwork = 1000;
        config.maxUnauthenticatedPerAddress = 1000;
        ServerIdentity identity = ServerIdentity.loadOrCreate(data, "parley-registry").identity;
        config.tls = TlsContexts.server(identity);
        RegistryServer server = RegistryServer.start(config, new InetSocketAddress(bind, 0), new InetSocketAddress(bind, 0),
                data.resolve("registry.db"));
        System.out.println("tls fingerprint " + identity.fingerprint());
        System.out.println("listening on tcp " + bind + ":" + server.tcpAddress().getPort() + ", udp " + bind + ":"
                + server.udpAddress().getPort());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.trim().equals("stats")) {
                System.out.println(format(server.relayStats()));
                System.out.flush();
            }
        }
        server.close();
        System.exit(0);
    }

    static String format(RelayStats s) {
        return "relay_stats sessions_current=" + s.sessionsCurrent() + " sessions_total=" + s.sessionsTotal()
                + " packets=" + s.packets() + " bytes=" + s.bytes() + " refused=" + s.refused()
                + " malformed=" + s.malformed() + " unknown_token=" + s.unknownToken()
                + " wrong_session=" + s.wrongSession() + " over_quota=" + s.overQuota()
                + " no_peer_address=" + s.noPeerAddress() + " send_failed=" + s.sendFailed();
    }
}
