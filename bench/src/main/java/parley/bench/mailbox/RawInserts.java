package parley.bench.mailbox;

import parley.server.store.SqliteStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * The baseline for durable deposits: the same mailbox rows inserted straight through JDBC into a
 * database made by the registry's own schema, with the registry's durability settings
 * ({@code journal_mode=WAL}, {@code synchronous=FULL}, foreign keys on), committed every
 * {@code batch} rows. No network, no loop, no idempotency lookup: the bench numbers the sequences
 * itself. With batch 1 each row is its own fsync (a server that commits every deposit alone);
 * with the registry's largest group (256) it is the ceiling of what the file can take.
 */
final class RawInserts {
    private RawInserts() {
    }

    /** Inserts {@code rows} rows of {@code blobBytes} for one recipient from {@code senders} senders; answers rows per second. */
    static double run(Path dir, int rows, int senders, int blobBytes, int batch) throws Exception {
        Path file = Files.createTempDirectory(dir, "raw").resolve("raw.db");
        SqliteStore.open(file).close(); // the registry's schema, migrations and file permissions
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA foreign_keys=ON");
                for (int i = 0; i <= senders; i++) {
                    s.execute("INSERT INTO accounts VALUES (" + (i + 1) + ", 'u" + i + "', 'u" + i
                            + "', zeroblob(16), 4096, zeroblob(32), zeroblob(32), 1, 0)");
                }
            }
            c.setAutoCommit(false);
            byte[] blob = new byte[blobBytes];
            long start = System.nanoTime();
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO mailbox(recipient, seq, sender, message_id, deposited_at, expires_at, kind, blob, about)"
                            + " VALUES (1, ?, ?, ?, ?, ?, 1, ?, NULL)");
                 PreparedStatement seq = c.prepareStatement("INSERT INTO mailbox_seq(recipient, last_seq) VALUES (1, ?)"
                         + " ON CONFLICT(recipient) DO UPDATE SET last_seq = excluded.last_seq")) {
                long now = System.currentTimeMillis();
                for (int i = 1; i <= rows; i++) {
                    blob[0] = (byte) i;
                    insert.setLong(1, i);
                    insert.setLong(2, 2 + i % senders);
                    insert.setLong(3, i);
                    insert.setLong(4, now);
                    insert.setLong(5, now + 30L * 86_400_000);
                    insert.setBytes(6, blob);
                    insert.executeUpdate();
                    seq.setLong(1, i);
                    seq.executeUpdate();
                    if (i % batch == 0 || i == rows) {
                        c.commit();
                    }
                }
            }
            return rows / ((System.nanoTime() - start) / 1e9);
        }
    }
}
