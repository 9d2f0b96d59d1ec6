package parley.bench.bottleneck;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which congestion control the lab's TCP streams actually use, read from {@code ss -tin} inside the
 * sending namespace while they run. The lab asks for CUBIC ({@code congctl cubic} on its routes),
 * but an earlier lab asked through a per-namespace sysctl that this kernel refused silently, and
 * every "TCP CUBIC" figure of that round was the host's BBR. So the bench reads what the kernel
 * reports for each stream and stops the run when it is not what was asked for ({@code --tcp-cc}:
 * CUBIC unless the run asks for the kernel's BBR as a reference), instead of trusting the request.
 */
final class TcpCongestion {
    /** The bench's TCP competitor unless {@code --tcp-cc} says otherwise. */
    static final String CUBIC = "cubic";
    /** Flags {@code ss -i} prints before the algorithm's name on a stream's info line. */
    private static final Set<String> FLAGS = Set.of("ts", "sack", "ecn", "ecnseen", "fastopen", "ecn_low",
            "tfo_syn", "tfo_cookie");

    private TcpCongestion() {
    }

    /**
     * The algorithm of each stream in {@code ss -tin} output: for every connection line, the name on
     * the info line under it (the first word that is neither a flag nor a {@code key:value}).
     */
    static List<String> parse(String ssOutput) {
        List<String> algorithms = new ArrayList<>();
        for (String line : ssOutput.split("\n")) {
            if (line.isBlank() || !Character.isWhitespace(line.charAt(0))) {
                continue; // a header or a connection line; the info line is indented
            }
            for (String word : line.trim().split("\\s+")) {
                if (word.contains(":") || word.contains("(")) {
                    break; // past the names: key:value pairs from here on
                }
                if (!FLAGS.contains(word)) {
                    algorithms.add(word);
                    break;
                }
            }
        }
        return algorithms;
    }

    /**
     * The algorithms of the established TCP streams from namespace {@code ns} to {@code host:port};
     * throws unless there are {@code streams} of them and every one is {@code expected}.
     */
    static List<String> verify(String ns, String host, int port, int streams, String expected) {
        String out = Lab.run(Lab.inNamespace(ns, List.of("ss", "-Htin", "state", "established",
                "dst", host, "dport", "=", ":" + port)));
        return check(parse(out), streams, expected);
    }

    /** {@code found} if it names {@code streams} streams, all {@code expected}; otherwise throws. */
    static List<String> check(List<String> found, int streams, String expected) {
        if (found.size() != streams || found.stream().anyMatch(a -> !a.equals(expected))) {
            throw new IllegalStateException("the lab's TCP streams use " + found + " (" + streams
                    + " expected, all " + expected + "): the figures would not be against TCP " + expected);
        }
        return found;
    }
}
