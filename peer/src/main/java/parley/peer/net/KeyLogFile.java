package parley.peer.net;

import parley.core.crypto.SessionKeys;
import parley.core.loop.WorkQueue;
import parley.core.reliable.SessionKeyLog;
import parley.core.util.PrivateFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * The debugging key log of {@code ./parley peer --keylog FILE} (or {@code PARLEY_KEYLOG}), as
 * {@code SSLKEYLOGFILE} is for TLS: for every session, one line per direction in the format of
 * PROTOCOL.md section 12, appended to FILE (created 0600), so the Wireshark dissector
 * (tools/wireshark/parley.lua) can decrypt a capture. It defeats the channel's encryption for
 * anyone who can read the file; the peer warns when it is on.
 *
 * <p>Told on the loop thread; the line is formatted there (two short strings per session, not a
 * hot path) and written by its own thread, so the loop never touches the disk.
 */
public final class KeyLogFile implements SessionKeyLog, AutoCloseable {
    /** The label that starts every key line (PROTOCOL.md 12). */
    public static final String LABEL = "PARLEY_PEER_KEY";
    /** The label of a direction's AES-256-GCM key, written after the two {@link #LABEL} lines (PROTOCOL.md 12). */
    public static final String GCM_LABEL = "PARLEY_PEER_GCM_KEY";
    private static final HexFormat HEX = HexFormat.of();

    private final Path file;
    private final WorkQueue<Runnable> writer;
    private final Consumer<String> onFailure;

    /** {@code onFailure} hears, once per failed write, why it failed (any thread). */
    public KeyLogFile(Path file, String name, Consumer<String> onFailure) {
        this.file = file;
        this.onFailure = onFailure;
        this.writer = WorkQueue.forTasks(name + "-keylog");
    }

    @Override
    public void sessionOpened(long localId, long remoteId, SessionKeys keys) {
        String lines = line(remoteId, keys.sendKey, keys.sendIv) + line(localId, keys.receiveKey, keys.receiveIv)
                + gcmLine(remoteId, keys.gcmSendKey) + gcmLine(localId, keys.gcmReceiveKey);
        writer.offer(() -> append(lines));
    }

    /** One direction: the session id its datagrams carry, and the key and IV that seal them. */
    static String line(long destinationSessionId, byte[] key, byte[] iv) {
        return LABEL + " " + HEX.toHexDigits(destinationSessionId) + " " + HEX.formatHex(key) + " " + HEX.formatHex(iv) + "\n";
    }

    /** One direction's AES-256-GCM key: the session id its datagrams carry, and the key (its IV is the one above). */
    static String gcmLine(long destinationSessionId, byte[] gcmKey) {
        return GCM_LABEL + " " + HEX.toHexDigits(destinationSessionId) + " " + HEX.formatHex(gcmKey) + "\n";
    }

    private void append(String lines) {
        try {
            PrivateFiles.createFile(file);
            Files.writeString(file, lines, StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException e) {
            onFailure.accept("could not append to the key log " + file + ": " + e.getMessage());
        }
    }

    /** Writes what is queued, then stops the writer. */
    @Override
    public void close() {
        writer.close();
    }
}
