package parley.bench.nat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static parley.bench.nat.LabChat.paths;
import static parley.bench.nat.LabChat.received;

/**
 * What the relay refuses, on real NATs (issue 12): a pair that privacy keeps apart (one blocked the
 * other) and datagrams with a forged relay token. The registry here is {@link LabRegistryMain}, the
 * same registry as {@code parley server} that also prints its relay counters, so the test can see
 * what was forwarded and what was dropped. One side is behind a symmetric NAT, so the pair can only
 * talk through the relay.
 */
class RelayRefusalLabTest {
    static NatLab lab;
    static LabRegistry registry;
    static Path data;
    final List<LabPeer> peers = new ArrayList<>();
    String tag;

    @BeforeAll
    static void up() throws Exception {
        assertThat(NatLab.isRoot()).as("the NAT lab needs root (CI runs as root)").isTrue();
        lab = NatLab.up();
        try {
            data = Files.createTempDirectory("parley-natlab");
            registry = LabRegistry.withStats(lab);
        } catch (Exception e) {
            lab.close();
            throw e;
        }
        lab.mode(NatLab.Router.R2, NatLab.NatType.SYMMETRIC);
    }

    @AfterAll
    static void down() throws Exception {
        try {
            if (registry != null) {
                registry.close();
            }
        } finally {
            LabPeer.deleteTree(data);
            if (lab != null) {
                lab.close();
                assertThat(lab.namespaces()).isEmpty();
            }
        }
    }

    @BeforeEach
    void fresh() {
        tag = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
    }

    @AfterEach
    void stop() {
        peers.forEach(LabPeer::close);
    }

    @Test
    void theRelayForwardsNothingMoreForAPairOnceOneBlocksTheOther() throws Exception {
        LabPeer a = peer(lab.h1, "kim");
        LabPeer b = peer(lab.h2, "lou");
        ReachLabTest.Chat chat = new ReachLabTest.Chat(a, b);
        chat.both("relayed", 2);
        assertThat(paths(a, b)).isNotEmpty().allMatch(e -> "relayed".equals(e.str("kind")));
        assertThat(registry.relayStats().get("packets")).as("the chat went through the relay").isPositive();

        int bm = b.mark();
        b.type("/block " + a.user);
        b.awaitAfter(bm, e -> e.is("contact") && a.user.equals(e.str("user")) && "blocked".equals(e.str("change")),
                "the block of " + a.user);
        Map<String, Long> blocked = registry.relayStats();
        assertThat(blocked.get("sessions_current")).as("the block tore the relayed session down").isZero();

        String text = "after-the-block-" + tag;
        LabChat.send(a, b, List.of(text));
        // a's channel keeps sending into the relay; each datagram is refused as an unknown token.
        Map<String, Long> later = awaitStats(s -> s.get("unknown_token") > blocked.get("unknown_token") + 2,
                "the relay refusing the blocked pair's datagrams");
        assertThat(later.get("packets")).as("nothing forwarded for the pair since the block").isEqualTo(blocked.get("packets"));
        assertThat(later.get("sessions_current")).isZero();
        assertThat(received(b, a)).doesNotContain(text);
    }

    @Test
    void forgedRelayTokensAreDroppedAndTheRelayedChatGoesOn() throws Exception {
        LabPeer a = peer(lab.h1, "max");
        LabPeer b = peer(lab.h2, "ned");
        ReachLabTest.Chat chat = new ReachLabTest.Chat(a, b);
        chat.both("before", 2);
        Map<String, Long> before = registry.relayStats();
        int forged = 25;
        Process p = new ProcessBuilder(NatLab.inNamespace(lab.h3.ns(), List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), PunchProbe.class.getName(), "forge", registry.host(),
                Integer.toString(registry.udpPort()), Integer.toString(forged)))).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("sent " + forged);
        Map<String, Long> after = awaitStats(s -> s.get("unknown_token") >= before.get("unknown_token") + forged,
                "the relay counting the forged datagrams");
        assertThat(after.get("unknown_token") - before.get("unknown_token")).isEqualTo(forged);
        assertThat(after.get("malformed")).isEqualTo(before.get("malformed"));
        chat.both("after", 2);
        chat.assertExactlyOnceInOrder();
        assertThat(paths(a, b)).isNotEmpty().allMatch(e -> "relayed".equals(e.str("kind")));
    }

    /** Polls the relay's counters until {@code done}: a wait on an event, with a generous deadline. */
    private static Map<String, Long> awaitStats(Predicate<Map<String, Long>> done, String what) throws InterruptedException {
        long end = System.nanoTime() + LabPeer.DEADLINE.toNanos();
        Map<String, Long> s = registry.relayStats();
        while (!done.test(s)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("waited in vain for " + what + "; relay counters: " + s);
            }
            TimeUnit.MILLISECONDS.sleep(100);
            s = registry.relayStats();
        }
        return s;
    }

    private LabPeer peer(NatLab.Host host, String name) throws Exception {
        LabPeer p = LabPeer.start(registry, host, name + tag, data, List.of());
        peers.add(p);
        p.registerAndLogin("pw-" + name + tag);
        return p;
    }
}
