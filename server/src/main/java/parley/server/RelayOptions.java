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

    /** Applies the flags; refuses a limit below 1. */
    void apply(RegistryConfig config) {
        config.relayEnabled = relay == OnOff.on;
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
}
