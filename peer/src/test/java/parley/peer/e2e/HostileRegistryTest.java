package parley.peer.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.peer.fake.FakeRegistry;
import parley.server.protocol.PresenceState;
import parley.server.protocol.RegistryOpcodes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19 item 4: the registry chose where the peer writes. A registry that knows the password
 * (so SCRAM completes and the peer believes it) answers the login with a hostile name; the peer
 * must refuse the login with a clear error and create nothing, inside or outside its data dir.
 */
class HostileRegistryTest {
    @TempDir
    Path dir;
    private FakeRegistry registry;
    private TestPeer peer;

    private TestPeer alice(FakeRegistry r) throws Exception {
        registry = r;
        // The fake registry speaks plaintext: the peer is told --insecure-plaintext.
        parley.peer.core.PeerConfig c = TestPeer.config("alice", r.address(), dir.resolve("data"));
        c.insecurePlaintext = true;
        peer = TestPeer.start(c);
        return peer;
    }

    @AfterEach
    void close() throws IOException {
        if (peer != null) {
            peer.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private List<Path> everyFile() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).collect(Collectors.toList());
        }
    }

    private void assertRefused(TestPeer p) throws IOException {
        p.cmd("/login alice pw-alice");
        Seen e = p.await(ev -> ev.type().equals("error") || ev.type().equals("logged_in"));
        assertThat(e.type()).as(String.join("\n", p.jsonLines())).isEqualTo("error");
        assertThat(e.get("code")).isEqualTo("BAD_LOGIN_NAME");
        assertThat((String) e.get("message")).contains("another or an invalid user name");
        p.cmd("/history bob");
        p.await("error");
        assertThat(p.seen("logged_in")).isEmpty();
        assertThat(everyFile()).isEmpty();
    }

    @Test
    void aParentDirectoryNameIsRefused() throws Exception {
        assertRefused(alice(new FakeRegistry("pw-alice").loginName(typed -> "../x")));
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void anAbsolutePathIsRefused() throws Exception {
        Path outside = dir.resolve("abs");
        assertRefused(alice(new FakeRegistry("pw-alice").loginName(typed -> outside.toString())));
        assertThat(outside).doesNotExist();
    }

    @Test
    void aValidButDifferentNameIsRefused() throws Exception {
        assertRefused(alice(new FakeRegistry("pw-alice").loginName(typed -> "mallory")));
        assertThat(dir.resolve("data").resolve("mallory")).doesNotExist();
    }

    @Test
    void theSameNameInAnotherCaseIsAcceptedAndWritesUnderTheDataDir() throws Exception {
        TestPeer p = alice(new FakeRegistry("pw-alice").loginName(typed -> "ALICE"));
        p.logIn();
        p.cmd("/history bob");
        p.await("history");
        assertThat(dir.resolve("data").resolve("alice").resolve("history.db")).exists();
        assertThat(everyFile()).allMatch(f -> f.startsWith(dir.resolve("data").resolve("alice")));
    }

    @Test
    void aPushWithAHostileNameIsIgnoredAsMalformed() throws Exception {
        TestPeer p = alice(new FakeRegistry("pw-alice"));
        p.logIn();
        p.mark();
        registry.push(RegistryOpcodes.PRESENCE, w -> w.string("../x\u001b[2J").u8(PresenceState.ONLINE).i64(0));
        Seen e = p.await("error");
        assertThat(e.get("code")).isEqualTo("MALFORMED_BODY");
        assertThat(p.seen("presence")).isEmpty();
    }

    @Test
    void anInviteWithAHostileNameIsIgnoredAndAValidOneReachesTheIntroductions() throws Exception {
        TestPeer p = alice(new FakeRegistry("pw-alice"));
        p.logIn();
        p.mark();
        registry.push(RegistryOpcodes.PEER_INVITE, w -> w.i32(7).string("../x\u001b[2J").i64(1).fixed(new byte[32])
                .string("127.0.0.1").u16(1).string("").u16(0).u8(0).u8(0));
        Seen e = p.await("error");
        assertThat(e.get("code")).isEqualTo("MALFORMED_BODY");
        assertThat(e.string("message")).startsWith("ignored a malformed PEER_INVITE from the registry");
        registry.push(RegistryOpcodes.PEER_INVITE, w -> w.i32(8).string("bob").i64(1).fixed(new byte[32])
                .string("127.0.0.1").u16(1).string("").u16(0).u8(0).u8(0)); // no flags, no candidates, no identity bundle (7.5)
        assertThat(p.await("session_request").get("invite")).isEqualTo(8L);
        assertThat(p.seen("session_request")).hasSize(1);
    }
}
