package parley.peer.e2e;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 through the whole peer: a real registry and two peers on loopback, driven by commands
 * as a script drives them, files on disk at both ends. Offer, accept, the byte-identical file
 * with its SHA-256 checked; decline; cancel; a receiver that dies mid-way and comes back; chat
 * messages both ways while a file moves on the same session.
 */
class FileTransferEndToEndTest extends PeerFixture {
    private static final int MIB = 1 << 20;

    private Path randomFile(String name, int size, long seed) throws IOException {
        return randomFile(dir, name, size, seed);
    }

    /** A file of {@code size} random bytes in {@code dir}/outbox. */
    static Path randomFile(Path dir, String name, int size, long seed) throws IOException {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        Path p = dir.resolve("outbox").resolve(name);
        Files.createDirectories(p.getParent());
        return Files.write(p, b);
    }

    static String sha256(Path p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private Path downloads(String who) {
        return dir.resolve(who).resolve("downloads");
    }

    /** Offers {@code file} from a to b and returns the transfer id b was shown. */
    static String offer(TestPeer a, TestPeer b, Path file) {
        a.cmd("/send " + b.name + " " + file);
        Seen offer = b.await("file_offer");
        assertThat(offer.string("from")).isEqualTo(a.name);
        assertThat(offer.string("name")).isEqualTo(file.getFileName().toString());
        return offer.string("transfer");
    }

    /**
     * A peer whose file data stops after a budget: "mid-way" in the restart tests below must not
     * depend on how fast this host moves 64 MiB (a quiet host finished it before the stop landed).
     */
    private parley.peer.core.PeerConfig withFaults(String name, DataBudget rule) {
        parley.peer.core.PeerConfig c = config(name);
        c.faults = parley.peer.net.Faults.dropping(rule);
        return c;
    }

    static boolean state(Seen e, String id, String state) {
        return e.type().equals("transfer") && id.equals(e.get("transfer")) && state.equals(e.get("state"));
    }

    @Test
    void aFileArrivesByteIdenticalWithItsHashVerifiedWhileChatFlowsBothWays() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        DeliveryTest.befriend(amy, bob);
        Path file = randomFile("photo one.bin", 24 * MIB + 12345, 15);

        String id = offer(amy, bob, file);
        Seen offer = bob.await("file_offer");
        assertThat(offer.number("size")).isEqualTo(Files.size(file));
        assertThat(offer.string("sha256")).isEqualTo(sha256(file));
        assertThat(downloads("bob")).doesNotExist(); // nothing is written before the accept
        amy.await(e -> state(e, id, "offered"));

        bob.cmd("/accept file " + id);
        bob.await(e -> state(e, id, "active"));
        for (int i = 0; i < 5; i++) { // on the same session as the file, while it moves
            amy.cmd("/msg bob during " + i);
            bob.cmd("/msg amy back " + i);
        }
        for (int i = 0; i < 5; i++) {
            bob.await("message", "text", "during " + i);
            amy.await("message", "text", "back " + i);
        }

        Seen received = bob.await("file_received");
        Path got = Path.of(received.string("path"));
        assertThat(got).isEqualTo(downloads("bob").resolve("photo one.bin"));
        assertThat(received.string("sha256")).isEqualTo(sha256(file));
        assertThat(Files.mismatch(file, got)).isEqualTo(-1L);
        amy.await(e -> state(e, id, "done"));
        bob.await(e -> state(e, id, "done"));
        try (Stream<Path> left = Files.list(downloads("bob"))) {
            assertThat(left).containsExactly(got); // no .part, no sidecar
        }

        bob.mark();
        bob.cmd("/files");
        Seen files = bob.await("files");
        assertThat(files.toString()).contains("\"transfer\":\"" + id + "\"").contains("\"state\":\"done\"")
                .contains("\"bytes\":" + Files.size(file));
    }

    @Test
    void aDeclinedOfferWritesNothingAndTheSenderIsTold() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        DeliveryTest.befriend(amy, bob);
        Path file = randomFile("unwanted.txt", 3 * MIB, 1);

        String id = offer(amy, bob, file);
        bob.cmd("/decline file " + id);
        amy.await(e -> state(e, id, "declined"));
        bob.await(e -> state(e, id, "declined"));
        assertThat(Files.exists(downloads("bob").resolve("unwanted.txt"))).isFalse();
        assertThat(Files.exists(downloads("bob").resolve("unwanted.txt.part"))).isFalse();

        bob.cmd("/accept file " + id); // too late: no offer waits any more
        assertThat(bob.await("error").string("code")).isEqualTo("NO_SUCH_TRANSFER");
    }

    @Test
    void eitherSideCancelsMidWayAndThePartFileGoes() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        DeliveryTest.befriend(amy, bob);
        Path file = randomFile("big.bin", 48 * MIB, 2);

        String id = offer(amy, bob, file);
        bob.cmd("/accept file " + id);
        bob.await(e -> state(e, id, "active"));
        bob.cmd("/cancel " + id);
        bob.await(e -> state(e, id, "cancelled"));
        Seen cancelled = amy.await(e -> state(e, id, "cancelled"));
        assertThat(cancelled.number("bytes")).isLessThan(Files.size(file));
        awaitGone(downloads("bob").resolve("big.bin.part"));
        assertThat(Files.exists(downloads("bob").resolve("big.bin"))).isFalse();

        // And from the sender's side, on a second offer of the same file.
        bob.mark();
        String second = offer(amy, bob, file);
        bob.cmd("/accept file " + second);
        amy.await(e -> state(e, second, "active"));
        amy.cmd("/cancel " + second);
        bob.await(e -> state(e, second, "cancelled"));
        awaitGone(downloads("bob").resolve("big.bin.part"));
    }

    @Test
    void theReceiverDiesMidWayAndTheTransferResumesFromItsVerifiedChunksAfterARestart() throws Exception {
        DataBudget frozen = new DataBudget(8L * MIB); // amy's file data stops after 8 MiB
        TestPeer amy = peer(withFaults("amy", frozen)).signUp();
        TestPeer bob = peer("bob").signUp();
        DeliveryTest.befriend(amy, bob);
        int size = 64 * MIB + 77;
        Path file = randomFile("resume.bin", size, 3);

        String id = offer(amy, bob, file);
        bob.cmd("/accept file " + id);
        bob.await(e -> state(e, id, "active") && e.number("bytes") >= 2L * MIB);
        bob.close(); // the loop and the transfer thread stop where they are; nothing says goodbye to amy
        frozen.release();

        TestPeer again = peer("bob").logIn();
        Seen resumed = again.await(e -> state(e, id, "resumed"));
        long from = resumed.number("bytes");
        assertThat(from).isGreaterThanOrEqualTo(2L * MIB).isLessThan(size); // verified chunks are not sent again
        Seen senderResumed = amy.await(e -> state(e, id, "resumed"));
        assertThat(senderResumed.number("bytes")).isEqualTo(from);

        Seen received;
        try {
            received = again.await("file_received");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\namy saw:\n  " + String.join("\n  ", amy.jsonLines()), e);
        }
        assertThat(received.string("sha256")).isEqualTo(sha256(file));
        assertThat(Files.mismatch(file, Path.of(received.string("path")))).isEqualTo(-1L);
        amy.await(e -> state(e, id, "done"));
    }

    @Test
    void theSenderDiesMidWayAndResumesFromTheReceiversVerifiedChunksAfterARestart() throws Exception {
        TestPeer amy = peer(withFaults("amy", new DataBudget(8L * MIB))).signUp(); // frozen after 8 MiB
        TestPeer bob = peer("bob").signUp();
        DeliveryTest.befriend(amy, bob);
        int size = 64 * MIB + 5;
        Path file = randomFile("sent.bin", size, 4);

        String id = offer(amy, bob, file);
        bob.cmd("/accept file " + id);
        bob.await(e -> state(e, id, "active") && e.number("bytes") >= 2L * MIB);
        amy.close();

        TestPeer again = peer("amy").logIn(); // finds its sidecar: the file is not hashed again
        Seen resumed = again.await(e -> state(e, id, "resumed"));
        assertThat(resumed.number("bytes")).isGreaterThanOrEqualTo(2L * MIB).isLessThan(size);
        Seen received;
        try {
            received = bob.await("file_received");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\namy saw:\n  " + String.join("\n  ", again.jsonLines()), e);
        }
        assertThat(received.string("sha256")).isEqualTo(sha256(file));
        assertThat(Files.mismatch(file, Path.of(received.string("path")))).isEqualTo(-1L);
        again.await(e -> state(e, id, "done"));
    }

    /** Killed with SIGKILL once the receiver has this much durable (acked): about half of {@link #KILLED_SIZE}. */
    private static final long KILL_AT = 24L * MIB;
    /** The sender's file data stops after this much until the kill, so the kill lands mid-way on any host. */
    private static final long KILL_BUDGET = 32L * MIB;
    private static final int KILLED_SIZE = 64 * MIB + 77;

    /**
     * kill -9 of the receiver's process mid-way ({@link ProcessPeer}: nothing of it runs after
     * the signal), then a new run on its data directory: the transfer resumes by itself from the
     * chunks that were durable, and ends with the whole file's SHA-256 checked. What is sent twice
     * is at most what the sender had sent past that point: under {@link #KILL_BUDGET} less
     * {@link #KILL_AT} (8 MiB), plus a chunk, of a 64 MiB file.
     */
    @Test
    void theReceiversProcessKilledWithSigkillMidWayResumesAndTheFileArrivesWhole() throws Exception {
        DataBudget frozen = new DataBudget(KILL_BUDGET);
        TestPeer amy = peer(withFaults("amy", frozen)).signUp();
        TestPeer bob = peer("bob").signUp();
        DeliveryTest.befriend(amy, bob);
        Path file = randomFile("killed-receiver.bin", KILLED_SIZE, 6);
        String id;
        try (ProcessPeer killed = inItsOwnProcess(bob)) {
            amy.cmd("/send bob " + file);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"transfer\":\"([^\"]+)\"")
                    .matcher(killed.await("file_offer", ProcessPeer.field("from", "amy")));
            assertThat(m.find()).isTrue();
            id = m.group(1);
            killed.cmd("/accept file " + id);
            amy.await(e -> state(e, id, "active") && e.number("bytes") >= KILL_AT); // bob's durable chunks, acked
            killed.kill();
        }
        frozen.release();
        TestPeer again = peer("bob").logIn();
        resumesAndArrives(again, again, amy, id, file);
    }

    /** The same with the sender's process killed: its next run finds its sidecar and resumes without hashing again. */
    @Test
    void theSendersProcessKilledWithSigkillMidWayResumesAndTheFileArrivesWhole() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        DeliveryTest.befriend(amy, bob);
        Path file = randomFile("killed-sender.bin", KILLED_SIZE, 7);
        String id;
        try (ProcessPeer killed = inItsOwnProcess(amy)) {
            killed.cmd(KillablePeerMain.BUDGET + " " + KILL_BUDGET);
            killed.cmd("/send bob " + file);
            id = bob.await("file_offer").string("transfer");
            bob.cmd("/accept file " + id);
            bob.await(e -> state(e, id, "active") && e.number("bytes") >= KILL_AT);
            killed.kill();
        }
        TestPeer again = peer("amy").logIn();
        resumesAndArrives(again, bob, again, id, file);
    }

    /**
     * After a kill: the restarted side's transfer resumes from the receiver's durable chunks (at
     * least {@link #KILL_AT}), the receiver gets the file whole, and the sender ends it done.
     */
    private static void resumesAndArrives(TestPeer restarted, TestPeer receiver, TestPeer sender, String id, Path file)
            throws Exception {
        assertThat(restarted.await(e -> state(e, id, "resumed")).number("bytes")).as("resumed from the receiver's durable chunks")
                .isGreaterThanOrEqualTo(KILL_AT).isLessThan(KILLED_SIZE);
        arrivesWhole(receiver, file);
        sender.await(e -> state(e, id, "done"));
    }

    /** Quits {@code p} and logs the same account in again from a process of its own, on the same data directory. */
    private ProcessPeer inItsOwnProcess(TestPeer p) throws Exception {
        p.session.quit(10, TimeUnit.SECONDS);
        ProcessPeer killable = new ProcessPeer(p.name, registry.address(), registry.udpPort(), dir.resolve(p.name));
        killable.cmd("/login " + p.name + " pw-" + p.name);
        killable.await("logged_in");
        return killable;
    }

    /** {@code to} receives {@code file}: the event's SHA-256 is the file's, and the bytes on disk are the same. */
    static void arrivesWhole(TestPeer to, Path file) throws Exception {
        Seen received = to.await("file_received");
        assertThat(received.string("sha256")).isEqualTo(sha256(file));
        assertThat(Files.mismatch(file, Path.of(received.string("path")))).isEqualTo(-1L);
    }

    @Test
    void anOfferOverTheSizeLimitIsDeclinedAtTheAcceptAndNothingIsWritten() throws Exception {
        TestPeer amy = peer("amy").signUp();
        parley.peer.core.PeerConfig small = config("bob");
        small.maxFileBytes = MIB; // --max-file-size 1048576
        TestPeer bob = peer(small).signUp();
        DeliveryTest.befriend(amy, bob);
        Path file = randomFile("too big.bin", 2 * MIB, 5);

        String id = offer(amy, bob, file);
        bob.cmd("/accept file " + id);
        bob.await(e -> state(e, id, "declined"));
        amy.await(e -> state(e, id, "declined"));
        assertThat(Files.exists(downloads("bob").resolve("too big.bin.part"))).isFalse();
        assertThat(Files.exists(downloads("bob").resolve("too big.bin"))).isFalse();
    }

    @Test
    void aHostileFileNameIsSanitisedBeforeItIsShownOrWritten() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        DeliveryTest.befriend(amy, bob);
        Path file = randomFile("\u202Etxt.exe\u0007", 1000, 6);

        amy.cmd("/send bob " + file);
        Seen offer = bob.await("file_offer");
        String shown = offer.string("name");
        assertThat(shown).doesNotContain("\u202E").doesNotContain("\u0007").doesNotContain("/");
        bob.cmd("/accept file " + offer.string("transfer"));
        Path got = Path.of(bob.await("file_received").string("path"));
        assertThat(got.getParent()).isEqualTo(downloads("bob"));
        assertThat(got.getFileName().toString()).isEqualTo(shown);
        assertThat(Files.mismatch(file, got)).isEqualTo(-1L);
    }

    /**
     * Waits for the receiver's transfer thread to delete {@code p}: an inotify watch on its
     * directory, registered before the first check so a deletion in between is not missed.
     */
    private static void awaitGone(Path p) throws IOException, InterruptedException {
        try (WatchService watch = p.getFileSystem().newWatchService()) {
            p.getParent().register(watch, StandardWatchEventKinds.ENTRY_DELETE);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestPeer.TIMEOUT_S);
            while (Files.exists(p)) {
                WatchKey key = watch.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (key == null) {
                    break;
                }
                key.pollEvents();
                key.reset();
            }
        }
        assertThat(p).doesNotExist();
    }
}
