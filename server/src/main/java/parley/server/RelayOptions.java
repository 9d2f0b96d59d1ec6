package parley.server;

import parley.server.registry.RegistryConfig;
import picocli.CommandLine.Option;

/**
 * The relay's command-line flags (PROTOCOL.md 7.8), mixed into {@code parley server}: on or off,
 * its session caps and its quotas. Kept apart from {@link ServerMain} so the registry's own flags
 * stay readable.
 */
final class RelayOptions {
    @Option(names = "--relay", paramLabel = "on|off",
            description = "relay peer datagrams on the UDP port so peers behind NATs can always talk (default: ${DEFAULT-VALUE})")
    OnOff relay = OnOff.on;

    /** The values of {@code --relay}; picocli refuses anything else with a usage error. */
    enum OnOff { on, off }

    @Option(names = "--relay-max-sessions", paramLabel = "n", description = "relayed sessions at once in total (default: ${DEFAULT-VALUE})")
    int maxSessions = 4096;

    @Option(names = "--relay-max-per-account", paramLabel = "n", description = "relayed sessions at once per account (default: ${DEFAULT-VALUE})")
    int maxPerAccount = 16;

    @Option(names = "--relay-session-bytes", paramLabel = "bytes/s",
            description = "relayed bytes per second per session; the burst is twice this (default: ${DEFAULT-VALUE})")
    long sessionBytes = 256 * 1024;

    @Option(names = "--relay-session-packets", paramLabel = "n/s",
            description = "relayed datagrams per second per session; the burst is twice this (default: ${DEFAULT-VALUE})")
    long sessionPackets = 1000;

    @Option(names = "--relay-account-bytes", paramLabel = "bytes/s",
            description = "relayed bytes per second an account sends over all its sessions; the burst is twice this (default: ${DEFAULT-VALUE})")
    long accountBytes = 1024 * 1024;

    @Option(names = "--relay-address", paramLabel = "ip:port",
            description = "cluster mode: where peers logged in on other nodes reach this node's relay (an IP literal, [v6]:port; "
                    + "default: the UDP address bound, if it is not a wildcard)")
    String relayAddress;

    /** Applies the flags; refuses a limit below 1 and a relay address that is not an IP literal and a port. */
    void apply(RegistryConfig config) {
        config.relayEnabled = relay == OnOff.on;
        if (relayAddress != null) {
            config.relayAddress = relayAddress(relayAddress);
        }
        if (maxSessions < 1 || maxPerAccount < 1 || sessionBytes < 1 || sessionPackets < 1 || accountBytes < 1) {
            throw new IllegalArgumentException("relay limits must be at least 1");
        }
        config.relayMaxSessions = maxSessions;
        config.relayMaxPerAccount = maxPerAccount;
        config.relaySessionBytesPerSecond = sessionBytes;
        config.relaySessionByteBurst = 2 * sessionBytes;
        config.relaySessionPacketsPerSecond = sessionPackets;
        config.relaySessionPacketBurst = 2 * sessionPackets;
        config.relayAccountBytesPerSecond = accountBytes;
        config.relayAccountByteBurst = 2 * accountBytes;
    }

    /** {@code ip:port} or {@code [v6]:port}; an IP literal only (no name is resolved). */
    static java.net.InetSocketAddress relayAddress(String spec) {
        int colon = spec.lastIndexOf(':');
        String host = colon < 0 ? "" : spec.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        java.net.InetAddress ip = parley.server.protocol.IpLiteral.unicast(host);
        int port;
        try {
            port = Integer.parseInt(spec.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = 0;
        }
        if (ip == null || port < 1 || port > 65535) {
            throw new IllegalArgumentException("--relay-address takes an IP literal and a port (1.2.3.4:7000 or [::1]:7000), not " + spec);
        }
        return new java.net.InetSocketAddress(ip, port);
    }
}
