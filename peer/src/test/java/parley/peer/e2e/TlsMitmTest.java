package parley.peer.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.peer.core.PeerConfig;
import parley.server.protocol.client.TestTls;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18: a machine in the middle of the registry connection. Terminating TLS is refused by a
 * pinned peer; a peer talked into trusting the proxy still cannot log in through it (SCRAM-PLUS
 * binds the proof to the certificate the peer saw); and changing bytes without terminating TLS
 * (what rewriting a PEER_INVITE key needs) breaks the connection instead of being accepted.
 */
class TlsMitmTest {
    @TempDir
    Path dir;
    private TestRegistry registry;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        registry = new TestRegistry(dir.resolve("registry"));
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        registry.close();
    }

    private <T extends AutoCloseable> T keep(T t) {
        open.add(t);
        return t;
    }

    private PeerConfig via(TlsMitmProxy proxy, String name, String fingerprint) {
        PeerConfig c = TestPeer.config(name, proxy.address(), dir.resolve(name + "-via-proxy"));
        c.registryUdpPort = registry.udpPort();
        c.serverFingerprint = fingerprint;
        return c;
    }

    @Test
    void aPinnedPeerRefusesAProxyThatTerminatesTls() throws Exception {
        TlsMitmProxy proxy = keep(TlsMitmProxy.terminating(registry.address()));
        TestPeer amy = keep(TestPeer.start(via(proxy, "amy", TestTls.fingerprint())));
        Seen refused = amy.await("error", "code", "SERVER_KEY_CHANGED");
        assertThat(String.valueOf(refused.get("message")))
                .contains(TestTls.fingerprint()).contains(proxy.fingerprint()).contains("--forget-server");
    }

    @Test
    void aPeerThatTrustsTheProxyStillCannotLogInThroughIt() throws Exception {
        keep(TestPeer.start("amy", registry.address(), dir.resolve("amy"))).signUp();
        TlsMitmProxy proxy = keep(TlsMitmProxy.terminating(registry.address()));
        TestPeer fooled = keep(TestPeer.start(via(proxy, "amy", proxy.fingerprint())));
        fooled.cmd("/login amy pw-amy");
        fooled.await("error", "code", "CHANNEL_BINDING_MISMATCH");
        assertThat(fooled.seen("logged_in")).isEmpty();
    }

    @Test
    void changingBytesWithoutTerminatingTlsBreaksTheConnection() throws Exception {
        TlsMitmProxy relay = keep(TlsMitmProxy.relay(registry.address()));
        TestPeer amy = keep(TestPeer.start(via(relay, "amy", TestTls.fingerprint()))).signUp();
        TestPeer bob = keep(TestPeer.start("bob", registry.address(), dir.resolve("bob"))).signUp();
        amy.mark();
        relay.startTampering();
        bob.cmd("/add amy"); // a push to amy, as a PEER_INVITE would be: its bytes are rewritten
        amy.await("connection", "state", "lost");
        assertThat(amy.seen("contact_request")).as("no rewritten push is accepted").isEmpty();
    }
}
