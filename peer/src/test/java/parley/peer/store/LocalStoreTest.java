package parley.peer.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalStoreTest {
    @TempDir
    Path dir;

    @Test
    void historySurvivesReopeningInOrderWithStates() throws Exception {
        Path file = LocalStore.fileFor(dir, "Alice");
        try (LocalStore s = LocalStore.open(file)) {
            s.addOutgoing(1, "bob", "hi bob", 100);
            s.addIncoming(9, "Bob", "hi alice", 200);
            s.addOutgoing(2, "bob", "how are you", 300);
            s.markDelivered(1);
            s.markFailed(2, "session closed");
            s.addOutgoing(3, "carol", "other", 150);
        }
        try (LocalStore s = LocalStore.open(LocalStore.fileFor(dir, "alice"))) {
            List<StoredMessage> h = s.history("BOB", 10);
            assertThat(h).extracting(m -> m.text).containsExactly("hi bob", "hi alice", "how are you");
            assertThat(h).extracting(m -> m.state).containsExactly("delivered", "received", "failed");
            assertThat(h.get(2).reason).isEqualTo("session closed");
            assertThat(s.history("bob", 2)).extracting(m -> m.text).containsExactly("hi alice", "how are you");
        }
    }

    @Test
    void pendingMessagesAreReportedOnceAndMarkedFailed() throws Exception {
        Path file = LocalStore.fileFor(dir, "amy");
        try (LocalStore s = LocalStore.open(file)) {
            s.addOutgoing(1, "bob", "one", 100);
            s.addOutgoing(2, "bob", "two", 200);
            s.markDelivered(1);
        }
        try (LocalStore s = LocalStore.open(file)) {
            List<StoredMessage> lost = s.failPending("not delivered before the client stopped");
            assertThat(lost).extracting(m -> m.id).containsExactly(2L);
            assertThat(s.failPending("again")).isEmpty();
            assertThat(s.history("bob", 5).get(1).state).isEqualTo("failed");
        }
    }

    @Test
    void remembersTheLastFingerprintPerPeer() throws Exception {
        try (LocalStore s = LocalStore.open(LocalStore.fileFor(dir, "amy"))) {
            assertThat(s.fingerprint("bob")).isNull();
            s.rememberFingerprint("bob", "aa:bb", 1);
            s.rememberFingerprint("Bob", "cc:dd", 2);
            assertThat(s.fingerprint("bob")).isEqualTo("cc:dd");
        }
    }

    @Test
    void aNameFromTheNetworkCannotLeaveTheDataDirectory() {
        assertThat(LocalStore.fileFor(dir, "Alice")).isEqualTo(dir.toAbsolutePath().resolve("alice").resolve("history.db"));
        for (String hostile : new String[] {"../x", "/tmp/abs", "..", "a/b", "x\\..\\y", "", "al\u0000ce"}) {
            assertThatThrownBy(() -> LocalStore.fileFor(dir, hostile)).as(hostile)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
