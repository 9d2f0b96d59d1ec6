package parley.core.vectors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a vector file of docs/vectors: a flat JSON object whose values are strings (hex or text)
 * or integers. Flat on purpose, so that any implementation can read it without a JSON library.
 */
public final class Vectors {
    // Possessive runs: a long hex string (a padded probe) is matched without a stack frame per character.
    private static final Pattern ENTRY = Pattern.compile("\"([\\w.]+)\"\\s*:\\s*(?:\"((?:[^\"\\\\]++|\\\\.)*+)\"|(-?\\d+))");
    private final Map<String, String> values = new HashMap<>();

    private Vectors(String json) {
        Matcher m = ENTRY.matcher(json);
        while (m.find()) {
            values.put(m.group(1), m.group(2) != null ? m.group(2).replace("\\\"", "\"").replace("\\\\", "\\") : m.group(3));
        }
    }

    /** Loads {@code docs/vectors/<name>}, found from the module directory or the repository root. */
    public static Vectors load(String name) throws IOException {
        for (Path base : new Path[] {Path.of("..", "docs", "vectors"), Path.of("docs", "vectors")}) {
            Path p = base.resolve(name);
            if (Files.exists(p)) {
                return new Vectors(Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        throw new IOException("vector file docs/vectors/" + name + " not found from " + Path.of("").toAbsolutePath());
    }

    public String text(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no vector " + key);
        }
        return v;
    }

    public byte[] hex(String key) {
        return HexFormat.of().parseHex(text(key));
    }

    public long number(String key) {
        return Long.parseLong(text(key));
    }
}
