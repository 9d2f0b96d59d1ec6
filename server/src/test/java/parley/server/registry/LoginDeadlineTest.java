package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.loop.ManualClock;
import parley.server.protocol.client.SyncRegistryClient;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 19 item 8: the login deadline runs from accept; refused pre-login frames do not refresh it. */
class LoginDeadlineTest {
    @TempDir
    Path dir;

    @Test
    void refusedFramesBeforeLoginDoNotKeepTheConnectionAlive() throws Exception {
        ManualClock clock = new ManualClock();
        RegistryConfig config = new RegistryConfig();
        config.loginTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(300);
        try (ServerFixture fx = new ServerFixture(dir, config, clock)) {
            SyncRegistryClient c = fx.client();
            // A refused WHO every tenth of the deadline, on the server's clock: before the fix each
            // refusal pushed the deadline on and the socket lived for ever.
            for (int i = 0; i < 9; i++) {
                clock.advance(30, TimeUnit.MILLISECONDS);
                fx.turnLoop();
                assertThat(c.call(RegistryOpcodes.WHO).error).isEqualTo(RegistryErrors.NOT_AUTHENTICATED);
            }
            assertThat(c.closedFuture().isDone()).as("still inside the deadline counted from accept").isFalse();
            clock.advance(31, TimeUnit.MILLISECONDS);
            fx.turnLoop();
            assertThat(c.closedFuture().get(10, TimeUnit.SECONDS)).as("closed at the login deadline counted from accept").isNotNull();
            assertThat(c.connectionErrors().poll(10, TimeUnit.SECONDS)).startsWith("TIMEOUT");
        }
    }
}
