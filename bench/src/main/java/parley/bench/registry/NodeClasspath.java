package parley.bench.registry;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The classpath a cluster node process runs on: the server module's classes and its runtime
 * dependencies, as {@code ./parley server} has them. The bench's own classpath will not do: it
 * excludes Lettuce (the Redis client, which brings netty 4.2, while the bench runs netty-all 4.1),
 * so a node started on it could not join a bus. The server's build writes its dependency list to
 * {@code server/target/node-classpath.txt}, beside the classes or jar this JVM loaded the server from.
 */
final class NodeClasspath {
    static final String FILE = "node-classpath.txt";

    private NodeClasspath() {
    }

    /** The server module's runtime classpath; fails, saying why, when the server was not built. */
    static String find() throws IOException {
        Path server;
        try {
            server = Path.of(parley.server.ServerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | SecurityException e) {
            throw new IOException("cannot tell where the server classes come from", e);
        }
        Path list = server.getParent().resolve(FILE);
        if (!Files.isRegularFile(list)) {
            throw new IOException(list + " is missing: build the server module first (./parley builds it; "
                    + "so does mvn -pl bench -am verify)");
        }
        return server + File.pathSeparator + Files.readString(list, StandardCharsets.UTF_8).trim();
    }
}
