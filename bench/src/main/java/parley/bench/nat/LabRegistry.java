package parley.bench.nat;

import parley.bench.registry.ServerProcess;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry ({@code parley server}, TLS, relay at its default: on) in the lab's internet
 * namespace, bound to the internet address, so every peer reaches it through its NAT router.
 */
public final class LabRegistry implements AutoCloseable {
    private final ServerProcess process;
    private final String host;

    private LabRegistry(ServerProcess process, String host) {
        this.process = process;
        this.host = host;
    }

    /** Starts it; {@code extra} are further server flags. */
    public static LabRegistry start(NatLab lab, List<String> extra) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--bind", lab.registryAddr,
                // Every lab peer comes from one of two router addresses in one /24: lift the per-network limits.
                "--registrations-per-network", "10000", "--logins-per-network", "1000",
                "--max-unauthenticated-per-address", "1000"));
        args.addAll(extra);
        ServerProcess p = ServerProcess.start(List.of("ip", "netns", "exec", lab.internetNs),
                List.of("-Xmx256m", "-XX:+UseSerialGC"), args, true);
        return new LabRegistry(p, lab.registryAddr);
    }

    public String host() {
        return host;
    }

    public int tcpPort() {
        return process.tcpAddress().getPort();
    }

    public int udpPort() {
        return process.udpAddress().getPort();
    }

    /** The registry's key pin, for the peers' --server-fingerprint. */
    public String fingerprint() {
        return process.fingerprint();
    }

    @Override
    public void close() throws Exception {
        process.close();
    }
}
