package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.wire.ErrorCode;
import parley.server.protocol.client.SyncRegistryClient;
import parley.server.protocol.client.SyncRegistryClient.Push;
import parley.server.protocol.PresenceState;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class LimitsTest {
    @TempDir
    Path dir;

    @Test
    void aNewcomerToAFullServerGetsAnErrorAndIsClosed() throws Exception {
        RegistryConfig config = new RegistryConfig();
        config.maxConnections = 2;
        try (ServerFixture fx = new ServerFixture(dir, config)) {
            SyncRegistryClient a = fx.client();
            SyncRegistryClient b = fx.client();
            SyncRegistryClient c = fx.client();
            assertThat(c.connectionErrors().poll(10, TimeUnit.SECONDS)).startsWith("SERVER_FULL");
            assertThat(c.closedFuture().get(10, TimeUnit.SECONDS)).isNotNull();
            assertThat(a.call(RegistryOpcodes.WHO).error).isEqualTo(RegistryErrors.NOT_AUTHENTICATED);
            b.close();
            assertThat(a.call(RegistryOpcodes.WHO).error).isEqualTo(RegistryErrors.NOT_AUTHENTICATED);
        }
    }

    @Test
    void requestsOverTheRateAreRefusedAndSustainedAbuseCloses() throws Exception {
        RegistryConfig config = new RegistryConfig();
        config.requestsPerSecond = 1;
        config.requestBurst = 5;
        config.abuseLimit = 20;
        try (ServerFixture fx = new ServerFixture(dir, config)) {
            SyncRegistryClient c = fx.client();
            boolean limited = false;
            for (int i = 0; i < 100 && !c.closedFuture().isDone(); i++) {
                int error = c.call(RegistryOpcodes.WHO).error;
                limited |= error == ErrorCode.RATE_LIMITED;
            }
            assertThat(limited).isTrue();
            assertThat(c.closedFuture().get(10, TimeUnit.SECONDS)).isNotNull();
            // The close is about the connection: an ERROR with correlation id 0 says why.
            assertThat(c.connectionErrors().poll(10, TimeUnit.SECONDS)).startsWith("RATE_LIMITED");
        }
    }

    @Test
    void aSilentSessionExpiresAndItsContactsSeeItGoOffline() throws Exception {
        RegistryConfig config = new RegistryConfig();
        config.sessionTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(1000);
        try (ServerFixture fx = new ServerFixture(dir, config)) {
            SyncRegistryClient quiet = fx.user("quiet");
            SyncRegistryClient watcher = fx.user("watcher");
            Users.makeContacts(quiet, "quiet", watcher, "watcher");
            // watcher keeps its own lease alive while it waits.
            Push expired = null;
            for (int i = 0; i < 200 && expired == null; i++) {
                expired = quiet.awaitPush(RegistryOpcodes.SESSION_CLOSED, 100, TimeUnit.MILLISECONDS);
                watcher.call(RegistryOpcodes.HEARTBEAT, w -> w.u8(1));
            }
            assertThat(expired).as("SESSION_CLOSED push").isNotNull();
            assertThat(expired.body().u16()).isEqualTo(RegistryErrors.SESSION_EXPIRED);
            // The final ERROR carries the same reason as SESSION_CLOSED, as for replacement and shutdown.
            assertThat(quiet.connectionErrors().poll(10, TimeUnit.SECONDS)).startsWith("SESSION_EXPIRED");
            assertThat(Users.nextPresence(watcher, "quiet")).isEqualTo(PresenceState.OFFLINE);
        }
    }
}
