package parley.bench.bottleneck;

import parley.bench.lab.LabShell;
import parley.bench.lab.LabTeardown;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;


/**
 * A running bottleneck lab ({@code tools/lab/bottleneck.sh}): namespaces A - R - B with a tbf rate
 * limit on R's link to B. {@link #close} removes it; a shutdown hook does too if the JVM is stopped
 * first, so no namespace outlives its run.
 */
public final class Lab implements AutoCloseable {
    public final String name;
    public final String aNs;
    public final String bNs;
    /** The router, whose link to B carries the bottleneck. */
    public final String rNs;
    public final String aAddr;
    public final String bAddr;
    public final long rateBits;
    public final int bufferMs;
    /** Added round-trip time on the return path (tools/lab/nfq_delay.py), 0 for none. */
    public final double delayMs;
    /** Random loss on every packet R forwards, each way (iptables statistic), 0 for none. */
    public final double loss;
    private final LabTeardown teardown;

    private Lab(String name, Path script, Map<String, String> vars) {
        this.name = name;
        this.aNs = vars.get("A_NS");
        this.bNs = vars.get("B_NS");
        this.rNs = vars.get("R_NS");
        this.aAddr = vars.get("A_ADDR");
        this.bAddr = vars.get("B_ADDR");
        this.rateBits = Long.parseLong(vars.get("RATE_BITS"));
        this.bufferMs = Integer.parseInt(vars.get("BUFFER_MS"));
        this.delayMs = Double.parseDouble(vars.getOrDefault("DELAY_MS", "0"));
        this.loss = Double.parseDouble(vars.getOrDefault("LOSS", "0"));
        this.teardown = new LabTeardown(script, name, "lab-teardown");
    }

    /** True when this process may build namespaces. */
    public static boolean isRoot() {
        return LabShell.isRoot();
    }

    /** Brings a lab up with a unique name; {@code rate} as tc says it ("20mbit"). */
    public static Lab up(String rate) throws IOException {
        return up(rate, "0");
    }

    /**
     * Brings a lab up with a unique name and {@code rtt} ("40ms", "0") of added round-trip time,
     * which the lab's NFQUEUE delay program adds on the return path.
     */
    public static Lab up(String rate, String rtt) throws IOException {
        return up(rate, rtt, 0);
    }

    /**
     * As {@link #up(String, String)}, with random loss {@code loss} (0-1) on every packet R forwards,
     * in both directions (an iptables statistic match: this kernel has no netem).
     */
    public static Lab up(String rate, String rtt, double loss) throws IOException {
        return up(rate, rtt, loss, TcpCongestion.CUBIC);
    }

    /** As {@link #up(String, String, double)}, with the lab's TCP streams on {@code tcpCc} (cubic, bbr or reno). */
    public static Lab up(String rate, String rtt, double loss, String tcpCc) throws IOException {
        Path script = script();
        String name = LabShell.uniqueName("pl");
        String out = LabShell.run(List.of("env", "LAB_TCP_CC=" + tcpCc, script.toString(), "up", name, rate, rtt,
                loss == 0 ? "0" : java.math.BigDecimal.valueOf(loss).toPlainString()));
        Map<String, String> vars = LabShell.vars(out);
        if (!vars.containsKey("B_ADDR")) {
            throw new IOException("lab did not come up: " + out);
        }
        return new Lab(name, script, vars);
    }

    /** R's device towards B, which carries the tbf bottleneck (tools/lab/bottleneck.sh names it NAME + "rb"). */
    public String bottleneckDevice() {
        return name + "rb";
    }

    /** The names of this lab's namespaces that exist now (empty once it is down). */
    public List<String> namespaces() {
        return teardown.namespaces();
    }

    /** The command line that runs {@code command} inside namespace {@code ns}. */
    public static List<String> inNamespace(String ns, List<String> command) {
        return LabShell.inNamespace(ns, command);
    }

    @Override
    public void close() {
        teardown.close();
    }

    /** tools/lab/bottleneck.sh, found upward from the working directory or from these classes. */
    static Path script() throws IOException {
        return LabShell.script("bottleneck.sh", Lab.class);
    }

    /** Runs a command to completion; its stdout, or an exception with its stderr. */
    static String run(List<String> command) {
        return LabShell.run(command);
    }
}
