package parley.core.tls;

import parley.core.util.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client's pinned server keys, like SSH's known_hosts: one line per server,
 * {@code host:port SHA256:hex}. Read and written by the trust manager, which runs as a delegated
 * task on the TLS pool, never on the loop. Writes replace the file atomically, owner-only.
 */
public final class PinStore {
    private final Path file;

    public PinStore(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** The pinned fingerprint for {@code server} ("host:port"), or null. */
    public synchronized String get(String server) throws IOException {
        return read().get(server);
    }

    /** Pins (or deliberately re-pins) {@code server} to {@code fingerprint}. */
    public synchronized void put(String server, String fingerprint) throws IOException {
        Map<String, String> pins = read();
        pins.put(server, Fingerprint.parse(fingerprint));
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : pins.entrySet()) {
            sb.append(e.getKey()).append(' ').append(e.getValue()).append('\n');
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            PrivateFiles.createDirectories(dir); // 0700: pins and keys are no one else's business
        }
        Pem.writeOwnerOnly(file, sb.toString());
    }

    /** Forgets {@code server}'s pin, the explicit way to accept a changed key on the next connect. */
    public synchronized boolean remove(String server) throws IOException {
        Map<String, String> pins = read();
        if (pins.remove(server) == null) {
            return false;
        }
        Files.deleteIfExists(file);
        for (Map.Entry<String, String> e : pins.entrySet()) {
            put(e.getKey(), e.getValue());
        }
        return true;
    }

    private Map<String, String> read() throws IOException {
        Map<String, String> pins = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return pins;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String line : lines) {
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] parts = t.split("\\s+");
            if (parts.length == 2) {
                pins.put(parts[0], parts[1]);
            }
        }
        return pins;
    }
}
