package parley.server.registry;

import parley.server.protocol.RegistryErrors;
import parley.server.store.StorageFailure;

/**
 * The one place where a storage failure becomes a protocol error. Storage speaks only of what
 * went wrong in its own terms ({@link StorageFailure.Kind}); which code a client sees, and what
 * it is told, is the registry's decision.
 *
 * <p>A taken name is the client's business (USERNAME_TAKEN, the same answer the registry gives
 * when its in-memory index already knows the name). A database that cannot be reached (cluster
 * mode's PostgreSQL, down or cut off) is STORE_UNAVAILABLE. Everything else is STORAGE_FAILED, whose
 * promise is that nothing was changed; the client may retry. The reason never carries the
 * database's own message, which names tables and files.
 */
final class StorageErrors {
    private StorageErrors() {
    }

    /** The registry error code to answer {@code failure} with. */
    static int toWire(StorageFailure failure) {
        switch (failure.kind()) {
            case NAME_TAKEN:
                return RegistryErrors.USERNAME_TAKEN;
            case UNAVAILABLE:
                return RegistryErrors.STORE_UNAVAILABLE;
            default:
                return RegistryErrors.STORAGE_FAILED;
        }
    }

    /** The reason text to send with {@link #toWire}'s code. */
    static String reason(StorageFailure failure) {
        switch (failure.kind()) {
            case NAME_TAKEN:
                return "user name is taken";
            case OVERLOADED:
                return "the registry is busy and did not save the change; try again";
            case UNAVAILABLE:
                return "the registry's database is unreachable; nothing was changed, try again later";
            default:
                return "the change could not be saved; try again";
        }
    }

    /** True for failures the operator must hear about (everything but a client's taken name). */
    static boolean worthLogging(StorageFailure failure) {
        return failure.kind() != StorageFailure.Kind.NAME_TAKEN;
    }
}
