package parley.bench.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * How many established TCP connections on a local port a process holds, read from Linux's
 * {@code /proc} (the sockets of {@code /proc/net/tcp[6]} in state ESTABLISHED on that port, matched
 * by inode against the process's file descriptors). It shows how the kernel spread the load
 * client's sessions over the processes of one {@code SO_REUSEPORT} group; -1 where {@code /proc}
 * cannot say (another OS, or a process of another user without root).
 */
final class SocketCount {
    private static final String ESTABLISHED = "01";
    private static final int LOCAL_ADDRESS = 1;
    private static final int STATE = 3;
    private static final int INODE = 9;

    private SocketCount() {
    }

    static int established(long pid, int localPort) {
        try {
            Set<String> inodes = new HashSet<>();
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                Path p = Path.of(table);
                if (!Files.isReadable(p)) {
                    continue;
                }
                List<String> lines = Files.readAllLines(p);
                for (String line : lines.subList(1, lines.size())) {
                    String[] f = line.trim().split("\\s+");
                    String local = f[LOCAL_ADDRESS];
                    int port = Integer.parseInt(local.substring(local.indexOf(':') + 1), 16);
                    if (port == localPort && ESTABLISHED.equals(f[STATE].toUpperCase(Locale.ROOT))) {
                        inodes.add(f[INODE]);
                    }
                }
            }
            int n = 0;
            try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
                for (Path fd : (Iterable<Path>) fds::iterator) {
                    String target = readLink(fd);
                    if (target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1))) {
                        n++;
                    }
                }
            }
            return n;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String readLink(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
            return ""; // closed since the listing
        }
    }
}
