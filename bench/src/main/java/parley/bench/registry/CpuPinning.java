package parley.bench.registry;

import java.util.ArrayList;
import java.util.List;

/**
 * `bench registry --pin`: the load client on one CPU and each server it starts on another, with
 * taskset (Linux), so that client and server under test each have a core of their own.
 */
final class CpuPinning {
    private CpuPinning() {
    }

    /** Where to pin: null for not at all, else CLIENT:SERVER ("--pin" alone: the first two CPUs allowed). */
    static String choose(String pin) {
        if (pin == null || !pin.isEmpty()) {
            return pin;
        }
        try {
            Process p = new ProcessBuilder("taskset", "-c", "-p", Long.toString(ProcessHandle.current().pid()))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("taskset failed: " + out.trim());
            }
            // "pid 123's current affinity list: 0,1" or "0-3": the first two CPUs this process may use
            List<Integer> cpus = cpuList(out.substring(out.lastIndexOf(':') + 1).trim());
            if (cpus.size() < 2) {
                throw new IllegalStateException("--pin needs two CPUs; this process may use only " + cpus);
            }
            return cpus.get(0) + ":" + cpus.get(1);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("--pin needs taskset (util-linux): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking taskset for this process's CPUs", e);
        }
    }

    /** Parses a CPU list such as "0-2,5" into [0, 1, 2, 5]. */
    static List<Integer> cpuList(String list) {
        List<Integer> cpus = new ArrayList<>();
        for (String part : list.split(",")) {
            String[] range = part.trim().split("-");
            int from = Integer.parseInt(range[0].trim());
            int to = range.length > 1 ? Integer.parseInt(range[1].trim()) : from;
            for (int c = from; c <= to && cpus.size() < 64; c++) {
                cpus.add(c);
            }
        }
        return cpus;
    }

    /**
     * Pins this JVM, every thread of it, to the client CPU, and returns the launcher that starts a
     * server on the server CPU. Threads started later inherit the mask of the thread that starts them.
     */
    static List<String> pinned(String spec) throws Exception {
        String[] cpus = spec.split(":");
        if (cpus.length != 2 || !cpus[0].matches("\\d+") || !cpus[1].matches("\\d+")) {
            throw new IllegalArgumentException("--pin takes CLIENT:SERVER CPU numbers, e.g. 0:1");
        }
        if (cpus[0].equals(cpus[1])) {
            throw new IllegalArgumentException("--pin needs two different CPUs, one for the client and one for the server");
        }
        Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus[0], Long.toString(ProcessHandle.current().pid()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("taskset could not pin the client to CPU " + cpus[0] + ": " + out.trim());
        }
        return List.of("taskset", "-c", cpus[1]);
    }
}
