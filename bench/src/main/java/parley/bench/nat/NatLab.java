package parley.bench.nat;

import parley.bench.lab.LabShell;
import parley.bench.lab.LabTeardown;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;


/**
 * A running NAT lab ({@code tools/lab/nat.sh}): an "internet" namespace with the registry's
 * address, two NAT routers and three hosts (h1 and h3 behind r1, h2 behind r2). {@link #close}
 * removes it; a shutdown hook does too if the JVM is stopped first, so no namespace outlives its run.
 */
public final class NatLab implements AutoCloseable {
    /** A NAT router of the lab. */
    public enum Router { R1, R2;
        String arg() {
            return name().toLowerCase();
        }
    }

    /** How a router maps: endpoint-independent (punching works) or a new port per destination. */
    public enum NatType { CONE, SYMMETRIC;
        String arg() {
            return name().toLowerCase();
        }
    }

    /** A host of the lab: its namespace and its LAN address. */
    public record Host(String ns, String addr, Router router) { }

    public final String name;
    /** The internet namespace, where the registry runs, and its address there. */
    public final String internetNs;
    public final String registryAddr;
    public final Host h1;
    public final Host h2;
    public final Host h3;
    public final Map<Router, String> routerNs = new HashMap<>();
    public final Map<Router, String> wanAddr = new HashMap<>();
    private final Path script;
    private final LabTeardown teardown;

    private NatLab(String name, Path script, Map<String, String> v) {
        this.name = name;
        this.script = script;
        this.internetNs = v.get("I_NS");
        this.registryAddr = v.get("REGISTRY_ADDR");
        this.h1 = new Host(v.get("H1_NS"), v.get("H1_ADDR"), Router.R1);
        this.h2 = new Host(v.get("H2_NS"), v.get("H2_ADDR"), Router.R2);
        this.h3 = new Host(v.get("H3_NS"), v.get("H3_ADDR"), Router.R1);
        routerNs.put(Router.R1, v.get("R1_NS"));
        routerNs.put(Router.R2, v.get("R2_NS"));
        wanAddr.put(Router.R1, v.get("R1_WAN"));
        wanAddr.put(Router.R2, v.get("R2_WAN"));
        this.teardown = new LabTeardown(script, name, "natlab-teardown");
    }

    /** True when this process may build namespaces. */
    public static boolean isRoot() {
        return LabShell.isRoot();
    }

    /** Brings a lab up with a unique name, both routers cone. */
    public static NatLab up() throws IOException {
        Path script = script();
        String name = LabShell.uniqueName("nl");
        String out = LabShell.run(List.of(script.toString(), "up", name, "cone", "cone"));
        Map<String, String> vars = LabShell.vars(out);
        if (!vars.containsKey("H3_ADDR")) {
            throw new IOException("NAT lab did not come up: " + out);
        }
        return new NatLab(name, script, vars);
    }

    /** Makes {@code router} map as {@code type}; its existing mappings are flushed. */
    public void mode(Router router, NatType type) {
        run(List.of(script.toString(), "mode", name, router.arg(), type.arg()));
    }

    /**
     * The router forgets its UDP mappings (conntrack), as when a NAT's UDP timeout expires; a host's
     * next packet makes a new mapping, on the same port when it is free. TCP (the registry) stays.
     */
    public void flush(Router router) {
        run(List.of(script.toString(), "flush", name, router.arg()));
    }

    /** The router's UDP mappings move: its next UDP packets leave from other ports. */
    public void rebind(Router router) {
        run(List.of(script.toString(), "rebind", name, router.arg()));
    }

    /** The router drops everything between it and the other router: the direct path dies, the registry stays. */
    public void cut(Router router) {
        run(List.of(script.toString(), "cut", name, router.arg()));
    }

    /** Undoes {@link #cut}. */
    public void mend(Router router) {
        run(List.of(script.toString(), "mend", name, router.arg()));
    }

    /** Both routers drop {@code percent}% of what they forward, at random (0 removes the loss). */
    public void loss(int percent) {
        run(List.of(script.toString(), "loss", name, Integer.toString(percent)));
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

    /** tools/lab/nat.sh, found upward from the working directory or from these classes. */
    public static Path script() throws IOException {
        return LabShell.script("nat.sh", NatLab.class);
    }

    /** Runs a command to completion; its stdout, or an exception with its stderr. */
    public static String run(List<String> command) {
        return LabShell.run(command);
    }
}
