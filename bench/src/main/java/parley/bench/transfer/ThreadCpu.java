package parley.bench.transfer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time (user and system) of threads, for the transfer benchmark: on a shared, loaded host the
 * wall-clock rates move with the load, while the CPU each side spends per MiB says where the
 * time goes and is comparable across rounds.
 */
final class ThreadCpu {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private final String prefix;
    private final Map<String, Long> start;

    private ThreadCpu(String prefix) {
        this.prefix = prefix;
        this.start = sample(prefix);
    }

    /** Starts counting the threads whose names begin with {@code prefix}. */
    static ThreadCpu named(String prefix) {
        return new ThreadCpu(prefix);
    }

    static long current() {
        return MX.getCurrentThreadCpuTime();
    }

    static long of(Thread t) {
        long v = MX.getThreadCpuTime(t.getId());
        return Math.max(0, v);
    }

    /** CPU nanoseconds per thread name since {@link #named}. */
    Map<String, Long> since() {
        Map<String, Long> now = sample(prefix);
        Map<String, Long> out = new TreeMap<>();
        now.forEach((name, v) -> out.put(name, v - start.getOrDefault(name, 0L)));
        return out;
    }

    static String perMib(Map<String, Long> cpu, double mib) {
        StringBuilder sb = new StringBuilder();
        cpu.forEach((name, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(name).append(' ')
                .append(String.format("%.2f", v / 1e6 / mib)));
        return sb.toString();
    }

    private static Map<String, Long> sample(String prefix) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (ThreadInfo i : MX.getThreadInfo(MX.getAllThreadIds())) {
            if (i != null && i.getThreadName().startsWith(prefix)) {
                long v = MX.getThreadCpuTime(i.getThreadId());
                if (v >= 0) {
                    m.merge(i.getThreadName(), v, Long::sum);
                }
            }
        }
        return m;
    }
}
