package parley.bench.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child JVM's live heap by class, from {@code jcmd GC.class_histogram} (which collects first),
 * so that the difference between two moments says which classes a set of connections holds.
 */
final class HeapHistogram {
    private static final Pattern ROW = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
    private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+(\\d+)\\s+(\\d+)");

    final long total;
    final Map<String, long[]> byClass; // class -> {instances, bytes}

    private HeapHistogram(long total, Map<String, long[]> byClass) {
        this.total = total;
        this.byClass = byClass;
    }

    static HeapHistogram of(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        Matcher t = TOTAL.matcher(text);
        if (!t.find()) {
            throw new IOException("no total in jcmd output: " + text.substring(0, Math.min(300, text.length())));
        }
        Map<String, long[]> rows = new HashMap<>();
        Matcher m = ROW.matcher(text);
        while (m.find()) {
            rows.put(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
        }
        return new HeapHistogram(Long.parseLong(t.group(2)), rows);
    }

    /** The classes that grew most from {@code before} to this, as lines of bytes and instances per connection. */
    List<String> growthPer(HeapHistogram before, int connections, int top) {
        List<Map.Entry<String, long[]>> grown = new ArrayList<>();
        for (Map.Entry<String, long[]> e : byClass.entrySet()) {
            long[] b = before.byClass.getOrDefault(e.getKey(), new long[2]);
            grown.add(Map.entry(e.getKey(), new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]}));
        }
        grown.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : grown.subList(0, Math.min(top, grown.size()))) {
            out.add(String.format("%8.0f B  %5.2f objects  %s", e.getValue()[1] / (double) connections,
                    e.getValue()[0] / (double) connections, e.getKey()));
        }
        return out;
    }
}
