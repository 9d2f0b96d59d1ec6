package parley.peer.term;

import org.jline.reader.impl.history.DefaultHistory;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Locale;

/**
 * JLine's input history, minus every {@code /login} and {@code /register} line: such a line may
 * carry a password (refused with a warning, but JLine records a line before the command sees it),
 * and even without one it says which accounts were used here. The history file is owner-only.
 */
final class SecretFreeHistory extends DefaultHistory {
    private static final String OWNER_ONLY = "rw-------";

    @Override
    public void add(Instant time, String line) {
        if (!isSecret(line)) {
            super.add(time, line);
        }
    }

    /** Whether the line is a /login or /register command (any case, leading spaces allowed). */
    static boolean isSecret(String line) {
        String t = line.stripLeading().toLowerCase(Locale.ROOT);
        return isCommand(t, "/login") || isCommand(t, "/register");
    }

    private static boolean isCommand(String line, String word) {
        return line.startsWith(word) && (line.length() == word.length() || Character.isWhitespace(line.charAt(word.length())));
    }

    /**
     * Creates the history file 0600, or tightens an existing one, before JLine appends to it
     * (JLine keeps the mode of the file it appends to, and its rewrite goes through a 0600 temp file).
     */
    static void makePrivate(Path file) throws IOException {
        if (!Files.getFileStore(file.toAbsolutePath().getParent()).supportsFileAttributeView("posix")) {
            return;
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(OWNER_ONLY)));
        } catch (FileAlreadyExistsException e) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(OWNER_ONLY));
        }
    }
}
