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
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static parley.bench.nat.LabChat.awaitDelivered;
import static parley.bench.nat.LabChat.awaitPath;
import static parley.bench.nat.LabChat.awaitReceived;
import static parley.bench.nat.LabChat.paths;
import static parley.bench.nat.LabChat.received;
import static parley.bench.nat.LabChat.send;
import static parley.bench.nat.LabChat.texts;

/**
 * Issue 12's reachability cases on real NATs (tools/lab/nat.sh): real {@code parley server} and
 * {@code parley peer --json} processes in network namespaces, behind nft NAT routers. Each case
 * asserts the {@code path} events and that every message is delivered exactly once, in order,
 * both ways. No timing assertions: every wait is on an event, with a generous deadline.
 */
class ReachLabTest {
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
            registry = LabRegistry.server(lab, List.of());
        } catch (Exception e) {
            lab.close();
            throw e;
        }
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
        lab.mode(NatLab.Router.R1, NatLab.NatType.CONE);
        lab.mode(NatLab.Router.R2, NatLab.NatType.CONE);
        lab.mend(NatLab.Router.R1);
        lab.mend(NatLab.Router.R2);
        lab.loss(0);
    }

    @AfterEach
    void stop() {
        peers.forEach(LabPeer::close);
        lab.loss(0);
    }

    @Test
    void bothBehindConeNatsTheSessionGoesDirect() throws Exception {
        LabPeer a = peer(lab.h1, "ann");
        LabPeer b = peer(lab.h2, "bob");
        Chat chat = new Chat(a, b);
        chat.both("first", 3);
        // Relay first: the requester's session opens on the relay, then moves to the punched path.
        assertThat(paths(a, b).get(0).str("kind")).isEqualTo("relayed");
        assertThat(paths(a, b).get(0).str("remote")).startsWith(lab.registryAddr + ":");
        awaitPath(a, b, 0, "direct", lab.wanAddr.get(NatLab.Router.R2) + ":");
        awaitPath(b, a, 0, "direct", lab.wanAddr.get(NatLab.Router.R1) + ":");
        chat.both("after", 3);
        chat.assertExactlyOnceInOrder();
        // /path answers with the same event for the current path.
        LabPeer.Event p = LabChat.askPath(a, b);
        assertThat(p.is("path")).as("/path answered %s", p.fields()).isTrue();
        assertThat(p.str("kind")).isEqualTo("direct");
        assertThat(p.str("remote")).startsWith(lab.wanAddr.get(NatLab.Router.R2) + ":");
        assertThat(p.str("local")).isNotEmpty();
    }

    @Test
    void oneBehindASymmetricNatStaysRelayedAndChatsFromTheFirstMessage() throws Exception {
        lab.mode(NatLab.Router.R2, NatLab.NatType.SYMMETRIC);
        LabPeer a = peer(lab.h1, "cat");
        LabPeer b = peer(lab.h2, "dan");
        Chat chat = new Chat(a, b);
        chat.both("relayed", 5);
        chat.assertExactlyOnceInOrder();
        // The requester's session started on the relay and stayed there: punching cannot open a symmetric NAT.
        assertThat(paths(a, b)).isNotEmpty().allMatch(e -> "relayed".equals(e.str("kind")));
        assertThat(paths(a, b).get(0).str("remote")).startsWith(lab.registryAddr + ":");
        // So did the answerer's, behind the symmetric NAT: it never reports a direct path it did not have.
        assertThat(paths(b, a)).isNotEmpty().allMatch(e -> "relayed".equals(e.str("kind")));
        assertThat(paths(b, a).get(0).str("remote")).startsWith(lab.registryAddr + ":");
        LabPeer.Event p = LabChat.askPath(b, a);
        assertThat(p.is("path")).as("/path answered %s", p.fields()).isTrue();
        assertThat(p.str("kind")).isEqualTo("relayed");
    }

    @Test
    void bothBehindTheSameNatGoDirectOverLocalCandidates() throws Exception {
        LabPeer a = peer(lab.h1, "eve");
        LabPeer b = peer(lab.h3, "fay");
        Chat chat = new Chat(a, b);
        chat.both("lan", 3);
        awaitPath(a, b, 0, "direct", lab.h3.addr() + ":");
        awaitPath(b, a, 0, "direct", lab.h1.addr() + ":");
        chat.both("more", 3);
        chat.assertExactlyOnceInOrder();
    }

    @Test
    void aFlushedMappingFallsBackToTheRelayAndPunchesAgainWithNothingLost() throws Exception {
        LabPeer a = peer(lab.h1, "gus");
        LabPeer b = peer(lab.h2, "hal");
        Chat chat = new Chat(a, b);
        chat.both("before", 3);
        awaitPath(a, b, 0, "direct");
        awaitPath(b, a, 0, "direct");
        int am = a.mark();
        int bm = b.mark();
        // r1 forgets its mappings, and until it is mended nothing passes between the two NATs
        // (without the cut, the next packet out would remake the mapping on the same port at once).
        lab.cut(NatLab.Router.R1);
        lab.flush(NatLab.Router.R1);
        chat.sendBoth("during", 4);
        awaitPath(a, b, am, "relayed");
        awaitPath(b, a, bm, "relayed");
        int am2 = a.mark();
        int bm2 = b.mark();
        lab.mend(NatLab.Router.R1);
        // Punching again after the fallback finds the new mapping (r1 kept the host's port).
        awaitPath(a, b, am2, "direct");
        awaitPath(b, a, bm2, "direct");
        chat.awaitAll();
        chat.both("after", 3);
        chat.assertExactlyOnceInOrder();
    }

    @Test
    void aMappingThatMovesFallsBackToTheRelayWithNothingLost() throws Exception {
        LabPeer a = peer(lab.h1, "kit");
        LabPeer b = peer(lab.h2, "lee");
        Chat chat = new Chat(a, b);
        chat.both("before", 3);
        awaitPath(a, b, 0, "direct");
        awaitPath(b, a, 0, "direct");
        int am = a.mark();
        int bm = b.mark();
        // r1's mapping moves to another port: b's packets to the old one die at r1, a's from the
        // new one die at r2 (port-restricted), so both fall back to the relay, which follows a.
        lab.rebind(NatLab.Router.R1);
        chat.sendBoth("during", 4);
        awaitPath(a, b, am, "relayed");
        awaitPath(b, a, bm, "relayed");
        chat.awaitAll();
        chat.both("after", 3);
        chat.assertExactlyOnceInOrder();
    }

    @Test
    void tenPercentLossOnTheRoutersStillDeliversExactlyOnce() throws Exception {
        LabPeer a = peer(lab.h1, "ida");
        LabPeer b = peer(lab.h2, "jon");
        Chat chat = new Chat(a, b);
        chat.both("clean", 2);
        awaitPath(a, b, 0, "direct");
        awaitPath(b, a, 0, "direct");
        lab.loss(10);
        chat.both("lossy", 20);
        chat.assertExactlyOnceInOrder();
        // Loss may cost the direct path for a while; every path change is still reported as one of the two kinds.
        assertThat(paths(a, b)).extracting(e -> e.str("kind")).isSubsetOf("direct", "relayed");
    }

    private LabPeer peer(NatLab.Host host, String name) throws Exception {
        LabPeer p = LabPeer.start(registry, host, name + tag, data, List.of());
        peers.add(p);
        p.registerAndLogin("pw-" + name + tag);
        return p;
    }

    /** Two contacts and everything each sent the other, in order. */
    static final class Chat {
        final LabPeer a;
        final LabPeer b;
        final List<String> fromA = new ArrayList<>();
        final List<String> fromB = new ArrayList<>();
        final List<Long> idsA = new ArrayList<>();
        final List<Long> idsB = new ArrayList<>();

        Chat(LabPeer a, LabPeer b) {
            this.a = a;
            this.b = b;
            LabChat.befriend(a, b);
        }

        /** n messages each way, and waits until all are delivered and received. */
        void both(String label, int n) {
            sendBoth(label, n);
            awaitAll();
        }

        void sendBoth(String label, int n) {
            List<String> ta = texts(label, a, n);
            List<String> tb = texts(label, b, n);
            idsA.addAll(send(a, b, ta));
            fromA.addAll(ta);
            idsB.addAll(send(b, a, tb));
            fromB.addAll(tb);
        }

        void awaitAll() {
            awaitDelivered(a, idsA);
            awaitDelivered(b, idsB);
            fromA.forEach(t -> awaitReceived(b, a, t));
            fromB.forEach(t -> awaitReceived(a, b, t));
        }

        /**
         * A last message each way: once it arrived, everything before it has (delivery is in order),
         * so the received lists must equal the sent ones exactly: no loss, no duplicate, no reordering.
         */
        void assertExactlyOnceInOrder() {
            both("last", 1);
            assertThat(received(b, a)).as("what %s received from %s", b.user, a.user).containsExactlyElementsOf(fromA);
            assertThat(received(a, b)).as("what %s received from %s", a.user, b.user).containsExactlyElementsOf(fromB);
        }
    }
}
