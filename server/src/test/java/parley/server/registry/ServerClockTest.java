package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.loop.ManualClock;
import parley.server.protocol.client.SyncRegistryClient;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.SessionClosed;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real server, over real sockets, on a clock the test moves: the login deadline and the
 * session lease follow the injected clock, not the machine's, so nothing here waits for them.
 */
class ServerClockTest {
    @TempDir
    Path dir;

    @Test
    void theLoginDeadlineAndTheSessionLeaseRunOnTheInjectedClock() throws Exception {
        ManualClock clock = new ManualClock();
        RegistryConfig config = ServerFixture.manyUsers(new RegistryConfig());
        try (ServerFixture fx = new ServerFixture(dir, config, clock)) {
            SyncRegistryClient anonymous = fx.client();
            SyncRegistryClient amy = fx.user("amy");
            long login = TimeUnit.NANOSECONDS.toSeconds(config.loginTimeoutNanos);
            clock.advance(login - 1, TimeUnit.SECONDS);
            fx.turnLoop();
            assertThat(anonymous.call(RegistryOpcodes.WHO).error).isEqualTo(RegistryErrors.NOT_AUTHENTICATED);
            // amy's lease (15 s) ran out long ago on this clock; her heartbeat-free session is gone.
            assertThat(amy.awaitPush(RegistryOpcodes.SESSION_CLOSED, 10, TimeUnit.SECONDS)).isNotNull()
                    .satisfies(p -> assertThat(SessionClosed.decode(p.body()).code()).isEqualTo(RegistryErrors.SESSION_EXPIRED));
            assertThat(amy.closedFuture().get(10, TimeUnit.SECONDS)).isNotNull();

            clock.advance(2, TimeUnit.SECONDS);
            fx.turnLoop();
            assertThat(anonymous.closedFuture().get(10, TimeUnit.SECONDS)).isNotNull();
            assertThat(anonymous.connectionErrors().poll(10, TimeUnit.SECONDS)).startsWith("TIMEOUT");
        }
    }
}
