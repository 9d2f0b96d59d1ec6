package parley.bench.nat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The NAT lab itself, with plain UDP and no Parley (issue 12): what a cone router lets through
 * (hole punching works: simultaneous sends to each other's mapped address) and what a symmetric
 * one does not, a flush that moves the mappings, and a lab that goes away, also on failure.
 */
class NatLabTest {
    static NatLab lab;

    @BeforeAll
    static void up() throws IOException {
        assertThat(NatLab.isRoot()).as("the NAT lab needs root (CI runs as root)").isTrue();
        lab = NatLab.up();
    }

    @AfterAll
    static void down() {
        if (Probe.echo != null) {
            Probe.echo.close();
        }
        if (lab != null) {
            lab.close();
            assertThat(lab.namespaces()).isEmpty();
        }
    }

    @Test
    void behindTwoConeNatsSimultaneousSendsPunchThrough() throws Exception {
        lab.mode(NatLab.Router.R2, NatLab.NatType.CONE);
        int[] got = punch(lab.h1, lab.h2);
        assertThat(got[0]).as("h1 heard h2").isPositive();
        assertThat(got[1]).as("h2 heard h1").isPositive();
    }

    @Test
    void aSymmetricNatDefeatsPunchingAndUnsolicitedInboundIsDropped() throws Exception {
        lab.mode(NatLab.Router.R2, NatLab.NatType.SYMMETRIC);
        try {
            int[] got = punch(lab.h1, lab.h2);
            assertThat(got).containsExactly(0, 0);
        } finally {
            lab.mode(NatLab.Router.R2, NatLab.NatType.CONE);
        }
    }

    @Test
    void twoHostsBehindOneNatReachEachOtherOnTheLan() throws Exception {
        // Each dials the other's LAN address: what Parley's local candidates are for.
        try (Probe a = new Probe(lab.h1); Probe b = new Probe(lab.h3)) {
            assertThat(a.observed).startsWith(lab.wanAddr.get(NatLab.Router.R1) + ":");
            assertThat(b.observed).startsWith(lab.wanAddr.get(NatLab.Router.R1) + ":");
            a.tell(lab.h3.addr() + ":" + b.localPort);
            b.tell(lab.h1.addr() + ":" + a.localPort);
            assertThat(a.received()).isPositive();
            assertThat(b.received()).isPositive();
        }
    }

    @Test
    void aFlushKeepsTheFreePortAndARebindMovesTheMapping() throws Exception {
        lab.mode(NatLab.Router.R1, NatLab.NatType.CONE);
        try (Probe a = new Probe(lab.h1)) {
            assertThat(port(a.observed)).as("a cone mapping keeps the host's port").isEqualTo(a.localPort);
        }
        lab.flush(NatLab.Router.R1);
        try (Probe a = new Probe(lab.h1)) {
            assertThat(port(a.observed)).isEqualTo(a.localPort);
        }
        lab.rebind(NatLab.Router.R1);
        try (Probe a = new Probe(lab.h1)) {
            assertThat(port(a.observed)).as("after a rebind the mapping moved").isNotEqualTo(a.localPort)
                    .isBetween(20_000, 39_999);
        } finally {
            lab.mode(NatLab.Router.R1, NatLab.NatType.CONE);
        }
    }

    @Test
    void aCutStopsTheDirectPathButNotTheInternet() throws Exception {
        lab.cut(NatLab.Router.R1);
        try {
            // The probes still learn their mappings from the echo on the internet side...
            int[] got = punch(lab.h1, lab.h2);
            // ...but nothing passes between the two NATs.
            assertThat(got).containsExactly(0, 0);
        } finally {
            lab.mend(NatLab.Router.R1);
        }
        int[] got = punch(lab.h1, lab.h2);
        assertThat(got[0]).isPositive();
        assertThat(got[1]).isPositive();
    }

    private static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    @Test
    void theLabGoesAwayWhenWhatRunsInsideItFails() throws Exception {
        NatLab[] seen = new NatLab[1];
        assertThatThrownBy(() -> {
            try (NatLab other = NatLab.up()) {
                seen[0] = other;
                assertThat(other.namespaces()).hasSize(6);
                throw new IllegalStateException("the run failed");
            }
        }).hasMessage("the run failed");
        assertThat(seen[0].namespaces()).isEmpty();
    }

    @Test
    void theScriptsRunModeTearsDownAfterAFailingCommand() throws Exception {
        String name = "nlt" + ProcessHandle.current().pid() % 10000;
        Process p = new ProcessBuilder(NatLab.script().toString(), "run", name, "cone", "symmetric", "--",
                "sh", "-c", "ip netns list | grep -q \"^$H3_NS\" && exit 7").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("the command ran inside a lab that was up, and failed").isEqualTo(7);
        assertThat(NatLab.run(List.of("ip", "netns", "list"))).doesNotContain(name + "-");
    }

    /** Both hosts punch towards each other's mapped address at once; what each heard from the other. */
    private static int[] punch(NatLab.Host x, NatLab.Host y) throws Exception {
        try (Probe a = new Probe(x); Probe b = new Probe(y)) {
            a.tell(b.observed);
            b.tell(a.observed);
            return new int[] {a.received(), b.received()};
        }
    }

    /** A {@link PunchProbe} in a host namespace, after it learned its mapped address from the echo. */
    static final class Probe implements AutoCloseable {
        static Echo echo;
        final Process process;
        final BufferedReader out;
        final PrintStream in;
        final String observed;
        final int localPort;

        Probe(NatLab.Host host) throws IOException {
            if (echo == null) {
                echo = new Echo();
            }
            process = new ProcessBuilder(NatLab.inNamespace(host.ns(), java("punch", lab.registryAddr,
                    Integer.toString(echo.port)))).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
            in = new PrintStream(process.getOutputStream(), true, StandardCharsets.US_ASCII);
            String[] line = String.valueOf(out.readLine()).split(" ");
            assertThat(line).hasSize(4).doesNotContain("null");
            observed = line[1];
            localPort = Integer.parseInt(line[3]);
        }

        void tell(String other) {
            in.println(other);
        }

        int received() throws IOException {
            String line = out.readLine();
            assertThat(line).startsWith("received ");
            return Integer.parseInt(line.substring("received ".length()));
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    /** The address-telling echo in the internet namespace (stopped with the lab's namespaces). */
    static final class Echo implements AutoCloseable {
        final int port;
        final Process process;

        Echo() throws IOException {
            process = new ProcessBuilder(NatLab.inNamespace(lab.internetNs, java("echo", lab.registryAddr)))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            port = Integer.parseInt(line.split(" ")[1]);
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    private static List<String> java(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), PunchProbe.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
