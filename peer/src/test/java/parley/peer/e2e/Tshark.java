package parley.peer.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * tshark and dumpcap for the dissector tests: installs them first when missing
 * ({@code tools/lab/ensure-packages.sh --wireshark}: apt-get as root, otherwise it says what to
 * install and the test fails with that), and runs tshark with tools/wireshark/parley.lua loaded.
 *
 * <p>Lua as root: Debian's Wireshark 4.0 init.lua sets {@code run_user_scripts_when_superuser =
 * true}, and a script named with {@code -X lua_script:} runs as root; 4.0 has no {@code -o}
 * preference of that name (tshark refuses it). {@link #requireDissector} checks that the script
 * really loaded, so a Wireshark built to refuse Lua as root fails here with that cause named
 * rather than with empty fields later.
 */
final class Tshark {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path SCRIPT = ROOT.resolve("tools/wireshark/parley.lua");
    private static boolean ready;

    private Tshark() {
    }

    /** Installs tshark, dumpcap and lua5.2 if missing; fails with the script's own message otherwise. */
    static synchronized void ensureInstalled() throws Exception {
        if (ready) {
            return;
        }
        Result r = run(List.of(ROOT.resolve("tools/lab/ensure-packages.sh").toString(), "--wireshark"), 600);
        if (r.code != 0) {
            throw new AssertionError("tools/lab/ensure-packages.sh --wireshark failed (tshark, dumpcap, lua5.2 needed):\n" + r.err);
        }
        requireDissector();
        ready = true;
    }

    private static void requireDissector() throws Exception {
        Result r = run(List.of("tshark", "-G", "fields", "-X", "lua_script:" + SCRIPT), 120);
        if (!r.out.contains("\tparley.opcode\t")) {
            throw new AssertionError("tshark did not load " + SCRIPT + " (as root, Lua needs init.lua's "
                    + "run_user_scripts_when_superuser = true and disable_lua = false):\n" + r.err);
        }
    }

    /** tshark with the dissector, the given arguments after it; stdout lines. Fails on a non-zero exit. */
    static List<String> tshark(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-X", "lua_script:" + SCRIPT));
        cmd.addAll(args);
        Result r = run(cmd, 300);
        if (r.code != 0 || r.err.contains("Lua: Error")) {
            throw new AssertionError("tshark " + args + " exited " + r.code + ":\n" + r.err);
        }
        List<String> lines = new ArrayList<>();
        for (String l : r.out.split("\n")) {
            if (!l.isEmpty()) {
                lines.add(l);
            }
        }
        return lines;
    }

    record Result(int code, String out, String err) {
    }

    static Result run(List<String> cmd, long timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("tshark", ".out");
        Path err = Files.createTempFile("tshark", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(cmd + " did not finish in " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
