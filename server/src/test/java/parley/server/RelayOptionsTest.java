package parley.server;

import org.junit.jupiter.api.Test;
import parley.server.registry.RegistryConfig;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** `parley server`'s relay flags reach the registry's configuration; the relay is on by default. */
class RelayOptionsTest {
    private static RegistryConfig parse(String... args) {
        ServerMain main = new ServerMain();
        new CommandLine(main).parseArgs(args);
        RegistryConfig config = new RegistryConfig();
        main.relayOptions.apply(config);
        return config;
    }

    @Test
    void theRelayIsOnByDefaultWithTheDesignedLimits() {
        RegistryConfig c = parse();
        assertThat(c.relayEnabled).isTrue();
        assertThat(c.relayMaxSessions).isEqualTo(4096);
        assertThat(c.relayMaxPerAccount).isEqualTo(16);
        assertThat(c.relaySessionBytesPerSecond).isEqualTo(256 * 1024);
        assertThat(c.relaySessionByteBurst).isEqualTo(512 * 1024);
        assertThat(c.relaySessionPacketsPerSecond).isEqualTo(1000);
        assertThat(c.relayAccountBytesPerSecond).isEqualTo(1024 * 1024);
    }

    @Test
    void theFlagsSetTheRelay() {
        RegistryConfig c = parse("--relay", "off", "--relay-max-sessions", "5", "--relay-max-per-account", "2",
                "--relay-session-bytes", "1000", "--relay-session-packets", "10", "--relay-account-bytes", "3000");
        assertThat(c.relayEnabled).isFalse();
        assertThat(c.relayMaxSessions).isEqualTo(5);
        assertThat(c.relayMaxPerAccount).isEqualTo(2);
        assertThat(c.relaySessionByteBurst).isEqualTo(2000);
        assertThat(c.relaySessionPacketBurst).isEqualTo(20);
        assertThat(c.relayAccountByteBurst).isEqualTo(6000);
    }

    @Test
    void aBadValueIsRefused() {
        assertThatThrownBy(() -> parse("--relay", "maybe")).isInstanceOf(CommandLine.ParameterException.class);
        assertThatThrownBy(() -> parse("--relay-max-sessions", "0")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRelayAddressForOtherNodesUsersIsAnIpLiteralAndAPort() {
        assertThat(parse().relayAddress).isNull();
        assertThat(parse("--relay-address", "192.0.2.7:7001").relayAddress)
                .isEqualTo(new java.net.InetSocketAddress("192.0.2.7", 7001));
        assertThat(parse("--relay-address", "[2001:db8::1]:7001").relayAddress.getPort()).isEqualTo(7001);
        assertThatThrownBy(() -> parse("--relay-address", "relay.example:7001")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> parse("--relay-address", "0.0.0.0:7001")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> parse("--relay-address", "192.0.2.7:0")).isInstanceOf(IllegalArgumentException.class);
    }
}
