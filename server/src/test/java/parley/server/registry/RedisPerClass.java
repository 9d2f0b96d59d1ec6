package parley.server.registry;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import parley.server.cluster.RedisFixture;

/**
 * One throwaway Redis for a test class: started before its first test, stopped by PID after its
 * last, also when a test fails. {@code @RegisterExtension static final RedisPerClass redis = new
 * RedisPerClass();} in each cluster test, instead of the same start/stop pair in every class.
 */
final class RedisPerClass implements BeforeAllCallback, AfterAllCallback {
    private RedisFixture fixture;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        fixture = RedisFixture.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (fixture != null) {
            fixture.close();
            fixture = null;
        }
    }

    String uri() {
        return fixture.uri();
    }

    /** Stops the server (kill by PID), as an outage; {@link #restart} brings it back on the same port. */
    void stop() {
        fixture.stop();
    }

    void restart() throws Exception {
        fixture.restart();
    }
}
