package parley.peer.e2e;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Offline delivery end to end (issue 13; PROTOCOL.md 7.10, 7.11): a real registry and real peers.
 * Messages to an offline contact are sealed into its mailbox ({@code queued}), read at its next
 * login in order and exactly once, and confirmed back ({@code delivered}) even to a sender that
 * was itself offline meanwhile; the registry's files never hold the text.
 */
class MailboxTest extends PeerFixture {
    private static final int COUNT = 200;

    private TestPeer signUpWithIdentity(String name) throws Exception {
        return peer(name).signUp(); // the identity bundle goes with REGISTER
    }

    private TestPeer logInAgain(String name) throws Exception {
        return peer(name).logIn();
    }

    private static String text(int i) {
        return String.format("sealed-plaintext-%03d-zq", i);
    }

    @Test
    @SuppressWarnings("unchecked")
    void twoHundredMessagesToAnOfflineContactArriveInOrderOnceAndAreConfirmedToAnOfflineSender() throws Exception {
        TestPeer amy = signUpWithIdentity("amy");
        TestPeer bob = signUpWithIdentity("bob");
        DeliveryTest.befriend(amy, bob);
        bob.session.quit(10, TimeUnit.SECONDS);
        amy.await(e -> e.type().equals("presence") && "bob".equals(e.get("user")) && "offline".equals(e.get("state")));

        List<Object> ids = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            amy.cmd("/msg bob " + text(i));
        }
        for (int i = 0; i < COUNT; i++) {
            ids.add(amy.await("sending", "text", text(i)).get("id"));
        }
        for (Object id : ids) {
            amy.await("queued", "id", id);
        }
        assertThat(amy.seen("delivered")).isEmpty();
        assertThat(amy.seen("failed")).isEmpty();

        // The registry holds 200 sealed blobs now: not one byte of any text is in its files.
        assertNoPlaintext(registryFiles(), COUNT);

        // amy goes offline too: bob reads while she is away.
        amy.session.quit(10, TimeUnit.SECONDS);
        TestPeer bob2 = logInAgain("bob");
        List<Object> got = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            Seen m = bob2.await("message", "text", text(i));
            assertThat(m.get("from")).isEqualTo("amy");
            got.add(m.get("id"));
        }
        assertThat(got).containsExactlyElementsOf(ids);
        awaitMailboxEmpty("bob");
        List<Seen> messages = bob2.seen("message");
        assertThat(messages).hasSize(COUNT);
        assertThat(messages).extracting(m -> m.get("text")).containsExactlyElementsOf(texts());

        // amy comes back: every message is delivered, from the receipts sealed into her own mailbox.
        TestPeer amy2 = logInAgain("amy");
        for (Object id : ids) {
            amy2.await("delivered", "id", id);
        }
        awaitMailboxEmpty("amy");
        amy2.cmd("/history bob " + COUNT);
        List<Map<String, Object>> h = (List<Map<String, Object>>) amy2.await("history").get("messages");
        assertThat(h).extracting(f -> f.get("state")).containsOnly("delivered").hasSize(COUNT);
        assertThat(h).extracting(f -> f.get("text")).containsExactlyElementsOf(texts());

        // bob restarts: the history keeps all 200 once, and nothing comes again.
        bob2.session.quit(10, TimeUnit.SECONDS);
        TestPeer bob3 = logInAgain("bob");
        bob3.cmd("/history amy " + (COUNT + 10));
        List<Map<String, Object>> hb = (List<Map<String, Object>>) bob3.await("history").get("messages");
        assertThat(hb).extracting(f -> f.get("text")).containsExactlyElementsOf(texts());
        assertThat(hb).extracting(f -> f.get("state")).containsOnly("received");
        assertThat(bob3.seen("message")).isEmpty();
        assertNoPlaintext(registryFiles(), COUNT);
    }

    private static List<String> texts() {
        List<String> t = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            t.add(text(i));
        }
        return t;
    }

    private List<Path> registryFiles() throws Exception {
        List<Path> files = new ArrayList<>();
        try (var s = Files.list(dir.resolve("registry"))) {
            s.filter(p -> p.getFileName().toString().startsWith("registry.db")).forEach(files::add);
        }
        assertThat(files).extracting(p -> p.getFileName().toString()).contains("registry.db");
        return files;
    }

    /** Searches the database and its -wal (and -shm) for every text, as bytes. */
    private static void assertNoPlaintext(List<Path> files, int count) throws Exception {
        for (Path f : files) {
            String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            assertThat(content).as("%s holds no message text", f.getFileName()).doesNotContain("sealed-plaintext-");
            for (int i = 0; i < count; i++) {
                assertThat(content).doesNotContain(text(i));
            }
        }
    }

    /** Waits until the registry has no mailbox entries left for {@code user} (acknowledged). */
    private void awaitMailboxEmpty(String user) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestPeer.TIMEOUT_S);
        String url = "jdbc:sqlite:" + dir.resolve("registry").resolve("registry.db").toAbsolutePath();
        while (true) {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM mailbox m JOIN accounts a ON a.id = m.recipient"
                         + " WHERE a.username_key = '" + user + "'")) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the mailbox of " + user + " was not acknowledged");
            }
            Thread.sleep(50);
        }
    }
}
