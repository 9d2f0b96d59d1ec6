package parley.server;

import picocli.CommandLine.Option;

/**
 * {@code --store}: where the registry keeps its durable state (issue 16). Without it, the embedded
 * SQLite file in {@code --data}, as always; with {@code postgresql://user@host:port/db}, a
 * PostgreSQL database that several registry nodes can share. A mixin of its own, so the cluster
 * flags stay out of {@link ServerMain}'s list.
 */
public final class StoreOptions {
    @Option(names = "--store", paramLabel = "URI",
            description = "durable store: postgresql://user@host:port/db (password from PGPASSWORD or the URI);"
                    + " default: SQLite in the data directory")
    String store;

    /** The URI given, or null for the embedded default. */
    public String store() {
        return store;
    }
}
