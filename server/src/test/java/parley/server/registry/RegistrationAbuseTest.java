package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.server.auth.ScramCredentials;
import parley.server.protocol.client.SyncRegistryClient;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 19 item 7: fake accounts are no longer free, and cannot fill a real user's inbox. */
class RegistrationAbuseTest {
    private static final ScramCredentials KEYS = ScramCredentials.derive("pw", new byte[16], ScramCredentials.MIN_ITERATIONS);
    @TempDir
    Path dir;

    private static int register(BoundClient c, String name) throws Exception {
        return c.call(RegistryOpcodes.REGISTER, w -> w.string(name).bytes(KEYS.salt()).i32(KEYS.iterations())
                .bytes(KEYS.storedKey()).bytes(KEYS.serverKey())).error();
    }

    @Test
    void oneNetworkRegistersTenAccountsAnHourAtMost() throws Exception {
        try (ServerFixture fx = new ServerFixture(dir, new RegistryConfig())) {
            int made = 0;
            int refused = 0;
            try (BoundClient c = new BoundClient(fx.server.tcpAddress(), "127.0.3.1")) {
                for (int i = 0; i < 50; i++) {
                    int error = register(c, "fake" + i);
                    made += error == 0 ? 1 : 0;
                    refused += error == RegistryErrors.REGISTER_LIMITED ? 1 : 0;
                }
            }
            assertThat(made).isEqualTo(10);
            assertThat(refused).isEqualTo(40);
            try (BoundClient other = new BoundClient(fx.server.tcpAddress(), "127.0.4.1")) {
                assertThat(register(other, "someone")).as("another network is not affected").isZero();
            }
        }
    }

    @Test
    void registrationsFromAllNetworksTogetherAreLimitedToo() throws Exception {
        RegistryConfig config = new RegistryConfig();
        config.registerBurst = 3;
        config.registerPerSecond = 1;
        try (ServerFixture fx = new ServerFixture(dir, config)) {
            int refused = 0;
            for (int n = 0; n < 10; n++) {
                try (BoundClient c = new BoundClient(fx.server.tcpAddress(), "127.0." + (10 + n) + ".1")) {
                    refused += register(c, "user" + n) == RegistryErrors.REGISTER_LIMITED ? 1 : 0;
                }
            }
            assertThat(refused).as("ten networks, one account each, against a global burst of 3").isPositive();
        }
    }

    @Test
    void freshAccountsFillOnlyTheirSmallQuotaSoAnOlderFriendStillGetsThrough() throws Exception {
        AtomicLong clock = new AtomicLong(1_700_000_000_000L);
        RegistryConfig config = ServerFixture.manyUsers(new RegistryConfig());
        config.maxPendingRequests = 8;
        config.maxPendingFromYoungAccounts = 3;
        config.wallClockMillis = clock::get;
        try (ServerFixture fx = new ServerFixture(dir, config)) {
            fx.user("victim");
            SyncRegistryClient friend = fx.user("friend");
            clock.addAndGet(TimeUnit.DAYS.toMillis(2)); // the friend's account is two days old
            int accepted = 0;
            int refused = 0;
            for (int i = 0; i < 8; i++) {
                SyncRegistryClient fake = fx.user("fresh" + i); // the fixture closes it
                int error = Users.named(fake, RegistryOpcodes.CONTACT_REQUEST, "victim").error;
                accepted += error == 0 ? 1 : 0;
                refused += error == RegistryErrors.TOO_MANY_PENDING ? 1 : 0;
            }
            assertThat(accepted).as("requests from day-old-or-younger accounts").isEqualTo(3);
            assertThat(refused).isEqualTo(5);
            SyncRegistryClient.Answer real = Users.named(friend, RegistryOpcodes.CONTACT_REQUEST, "victim");
            assertThat(real.ok()).as("the friend's request: %s", real).isTrue();
        }
    }
}
