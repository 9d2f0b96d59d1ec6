package parley.server.store;

import parley.server.protocol.RegistryErrors;

/**
 * A storage request failed; nothing it wrote is in the database. {@link #code} is the registry
 * error to answer with: USERNAME_TAKEN for a name whose key already exists, STORAGE_FAILED for
 * anything else (disk full, I/O error, storage closed).
 */
public final class StorageException extends Exception {
    private final int code;

    public StorageException(int code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public static StorageException failed(String message, Throwable cause) {
        return new StorageException(RegistryErrors.STORAGE_FAILED, message, cause);
    }

    public int code() {
        return code;
    }
}
