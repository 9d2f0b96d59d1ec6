package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
        RegistryConfig config = new RegistryConfig();
        config.loginTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(300);
        try (ServerFixture fx = new ServerFixture(dir, config)) {
            SyncRegistryClient c = fx.client();
            // Keep sending a refused WHO well inside the deadline, for far longer than the deadline.
            // Before the fix each refusal pushed the deadline on and the socket lived for ever.
            for (int i = 0; i < 200 && !c.closedFuture().isDone(); i++) {
                SyncRegistryClient.Answer a = c.call(RegistryOpcodes.WHO);
                if (!c.closedFuture().isDone()) {
                    assertThat(a.error).isEqualTo(RegistryErrors.NOT_AUTHENTICATED);
                }
                Thread.sleep(50);
            }
            assertThat(c.closedFuture().isDone()).as("closed at the login deadline counted from accept").isTrue();
            assertThat(c.connectionErrors().poll(10, TimeUnit.SECONDS)).startsWith("TIMEOUT");
        }
    }
}
