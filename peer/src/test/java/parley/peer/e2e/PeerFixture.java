package parley.peer.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import parley.peer.core.PeerConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Base of the end-to-end tests: an in-process registry and peers on loopback, all closed after. */
abstract class PeerFixture {
    @TempDir
    Path dir;
    TestRegistry registry;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void startRegistry() throws Exception {
        registry = new TestRegistry(dir.resolve("registry"));
    }

    PeerConfig config(String name) {
        PeerConfig c = TestPeer.config(name, registry.address(), dir.resolve(name));
        c.registryUdpPort = registry.udpPort();
        return c;
    }

    TestPeer peer(String name) throws Exception {
        return track(TestPeer.start(config(name)));
    }

    TestPeer peer(PeerConfig c) throws Exception {
        return track(TestPeer.start(c));
    }

    TestPeer textPeer(String name) throws Exception {
        return track(TestPeer.startText(config(name)));
    }

    private TestPeer track(TestPeer p) {
        open.add(p);
        return p;
    }

    @AfterEach
    void closeAll() {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception ignored) {
                // best effort after a failed test
            }
        }
        registry.close();
    }
}
