package parley.bench.bottleneck;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bottleneck lab as CI sees it: behaviour only, no throughput or timing figures (those live in
 * `./parley bench bottleneck` and docs/PERFORMANCE.md). The lab comes up as three namespaces, a
 * Parley flow completes through the tbf bottleneck, and the lab goes away again, also when what
 * runs inside it fails. CI runs as root; the lab needs it (namespaces and tc).
 */
class BottleneckLabTest {
    /** 250 messages of 16,000 bytes: many round trips through a 20 Mbit/s link, well past slow start. */
    static final long TRANSFER = 250L * BottleneckChild.MESSAGE;

    @BeforeAll
    static void root() {
        assertThat(Lab.isRoot()).as("the bottleneck lab needs root (CI runs as root)").isTrue();
    }

    @Test
    void aParleyFlowCompletesThroughTheBottleneckAndTheLabGoesAway() throws Exception {
        Lab lab = Lab.up("20mbit");
        try (lab) {
            assertThat(lab.namespaces()).hasSize(3);
            try (Flow sink = new Flow(lab.bNs, "parley-sink", lab.bAddr);
                 Flow sender = new Flow(lab.aNs, "parley-send", lab.aAddr, Long.toString(TRANSFER))) {
                sink.peer(lab.aAddr, sender);
                sender.peer(lab.bAddr, sink);
                long received = 0;
                // A generous bound on a behaviour (the flow completes), not a throughput figure.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (received < TRANSFER && System.nanoTime() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(200);
                    received = sink.count()[0];
                }
                assertThat(received).isEqualTo(TRANSFER);
            }
        }
        assertThat(lab.namespaces()).isEmpty();
    }

    /**
     * The queue sampler reads the tbf's backlog from the kernel: a TCP stream fills the 50 ms
     * queue, so the samples show a queue, and never one deeper than the tbf's limit (at the link's
     * rate, 50 ms: the conversion from bytes).
     */
    @Test
    void theQueueSamplerSeesTheQueueATcpStreamBuildsAndNoMoreThanTheTbfHolds() throws Exception {
        Path dir = Files.createTempDirectory("parley-queue-sampler");
        try (Lab lab = Lab.up("20mbit");
             Flow sink = new Flow(lab.bNs, "tcp-sink", lab.bAddr);
             Flow sender = new Flow(lab.aNs, "tcp-send", lab.bAddr, Integer.toString(sink.port()))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (sink.count()[0] < 2_000_000 && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(100); // past slow start: the queue is full from here on
            }
            Path csv = dir.resolve("queue.csv");
            org.HdrHistogram.Histogram delays;
            IcmpProbe.Result echoes;
            try (QueueSampler sampler = QueueSampler.start(lab, csv);
                 IcmpProbe icmp = IcmpProbe.start(lab, 100, dir.resolve("icmp.txt"))) {
                TimeUnit.SECONDS.sleep(2);
                delays = sampler.stop();
                echoes = icmp.stop();
            }
            assertThat(delays.getTotalCount()).isPositive();
            assertThat(delays.getMaxValue()).isPositive()
                    .isLessThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(lab.bufferMs + 1));
            // the kernel-stamped probe crosses the same bottleneck, so it waits in the same queue
            assertThat(echoes.rtt().getTotalCount()).isPositive();
            assertThat(echoes.rtt().getMaxValue()).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(5));
        } finally {
            parley.bench.nat.LabPeer.deleteTree(dir);
        }
    }

    @Test
    void queueSamplesAreTheBacklogAtTheLinkRate() {
        List<String> lines = List.of("60382.7038,3186,0,0,0", "60382.7058,3186,0,125000,84", "garbage", "1,2,3");
        org.HdrHistogram.Histogram h = QueueSampler.delays(lines, 100_000_000);
        assertThat(h.getTotalCount()).isEqualTo(2);
        assertThat(h.getMinValue()).isZero();
        assertThat(h.getMaxValue()).isBetween(9_990_000L, 10_010_000L); // 125,000 bytes at 100 Mbit/s: 10 ms
    }

    @Test
    void pingRepliesAreItsRoundTripsAndTheGapsInItsSequenceAreLost() {
        List<String> lines = List.of("PING 10.201.2.1 (10.201.2.1) 56(84) bytes of data.",
                "[1764574212.100000] 64 bytes from 10.201.2.1: icmp_seq=1 ttl=63 time=0.052 ms",
                "[1764574212.110000] 64 bytes from 10.201.2.1: icmp_seq=2 ttl=63 time=1.25 ms",
                "[1764574212.130000] 64 bytes from 10.201.2.1: icmp_seq=4 ttl=63 time=48.9 ms",
                "--- 10.201.2.1 ping statistics ---", "4 packets transmitted, 3 received, 25% packet loss, time 30ms");
        IcmpProbe.Result r = IcmpProbe.parse(lines);
        assertThat(r.rtt().getTotalCount()).isEqualTo(3);
        assertThat(r.rtt().getMinValue()).isBetween(51_900L, 52_100L);
        assertThat(r.rtt().getMaxValue()).isBetween(48_850_000L, 48_950_000L);
        assertThat(r.lost()).isEqualTo(1); // icmp_seq 3
        assertThat(IcmpProbe.parse(List.of("ping: connect: Network is unreachable")).rtt().getTotalCount()).isZero();
    }

    @Test
    void theLabGoesAwayWhenWhatRunsInsideItFails() throws Exception {
        Lab[] seen = new Lab[1];
        assertThatThrownBy(() -> {
            try (Lab lab = Lab.up("100mbit")) {
                seen[0] = lab;
                assertThat(lab.namespaces()).hasSize(3);
                throw new IllegalStateException("the run failed");
            }
        }).hasMessage("the run failed");
        assertThat(seen[0].namespaces()).isEmpty();
    }

    @Test
    void theScriptsRunModeTearsDownAfterAFailingCommand() throws Exception {
        String name = "plt" + ProcessHandle.current().pid() % 10000;
        Process p = new ProcessBuilder(Lab.script().toString(), "run", name, "20mbit", "--",
                "sh", "-c", "ip netns list | grep -q \"^$B_NS\" && exit 7").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("the command ran inside a lab that was up, and failed").isEqualTo(7);
        assertThat(netnsNamed(name)).isEmpty();
    }

    /**
     * Added RTT (tools/lab/nfq_delay.py behind an NFQUEUE rule on R): the lab comes up with its delay
     * program running, a Parley flow completes through the delayed path, and taking the lab down
     * ends the program too. Behaviour only: how well the delay holds is the bench's business.
     */
    @Test
    void aLabWithAddedRttRunsAFlowAndItsDelayProgramEndsWithIt() throws Exception {
        Lab lab = Lab.up("20mbit", "40ms");
        Path pidFile = Path.of("/run/parley-lab-" + lab.name + "-delay.pid");
        long pid;
        try (lab) {
            assertThat(lab.delayMs).isEqualTo(40.0);
            assertThat(pidFile).exists();
            pid = Long.parseLong(Files.readString(pidFile).trim());
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
            long transfer = 50L * BottleneckChild.MESSAGE;
            try (Flow sink = new Flow(lab.bNs, "parley-sink", lab.bAddr);
                 Flow sender = new Flow(lab.aNs, "parley-send", lab.aAddr, Long.toString(transfer))) {
                sink.peer(lab.aAddr, sender);
                sender.peer(lab.bAddr, sink);
                long received = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (received < transfer && System.nanoTime() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(200);
                    received = sink.count()[0];
                }
                assertThat(received).isEqualTo(transfer);
            }
        }
        assertThat(lab.namespaces()).isEmpty();
        assertThat(pidFile).doesNotExist();
        ProcessHandle.of(pid).ifPresent(p -> p.onExit().orTimeout(10, TimeUnit.SECONDS).join());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    /**
     * The lab's TCP competitor is CUBIC as the kernel reports it ({@code ss -tin}), whatever the
     * host's default: the route's {@code congctl cubic} took effect, not just the request; and
     * BBR when the run asks for it ({@code --tcp-cc bbr}).
     */
    @ParameterizedTest
    @ValueSource(strings = {"cubic", "bbr"})
    void theLabsTcpStreamsUseTheAlgorithmAskedFor(String algorithm) throws Exception {
        try (Lab lab = Lab.up("100mbit", "0", 0, algorithm);
             Flow sink = new Flow(lab.bNs, "tcp-sink", lab.bAddr);
             Flow sender = new Flow(lab.aNs, "tcp-send", lab.bAddr, Integer.toString(sink.port()))) {
            assertThat(TcpCongestion.verify(lab.aNs, lab.bAddr, sink.port(), 1, algorithm)).containsExactly(algorithm);
        }
    }

    @Test
    void aMalformedDelayIsRefusedAndLeavesNothing() throws Exception {
        String name = "pld" + ProcessHandle.current().pid() % 10000;
        Process p = new ProcessBuilder(Lab.script().toString(), "up", name, "20mbit", "forty")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out).contains("DELAY must be like 40ms");
        assertThat(netnsNamed(name)).isEmpty();
    }

    private static List<String> netnsNamed(String name) {
        return Lab.run(List.of("ip", "netns", "list")).lines().map(l -> l.split(" ")[0])
                .filter(n -> n.startsWith(name + "-")).toList();
    }
}
