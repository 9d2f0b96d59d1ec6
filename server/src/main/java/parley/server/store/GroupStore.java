package parley.server.store;

/**
 * The groups' SQL (PROTOCOL.md 7.12) as blocking calls on the storage thread, inside the
 * transaction the {@link GroupCommitter} has open. The registry's memory is the authority on
 * names and roles; these rows mirror it so a restart loses no group and no membership.
 */
public interface GroupStore {
    /** Inserts the group and its owner's row; fails CONSTRAINT if the id or name key is taken. */
    void create(GroupRecord group, long owner) throws StorageFailure;

    /** Applies one membership change; answers false if the group does not exist. */
    boolean change(GroupChange change) throws StorageFailure;

    /** Every group and membership. */
    GroupRows loadAll() throws StorageFailure;
}
