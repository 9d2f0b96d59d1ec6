package parley.server.store;

/**
 * The group operations of {@link GroupStore}, asynchronously: each completes on the loop once its
 * transaction has committed, and the registry answers the client only then (durable before
 * acknowledged). {@link GroupCommitter} is the production one.
 */
public interface GroupWrites {
    void groupCreate(GroupRecord group, long owner, Completion<Boolean> done);

    void groupChange(GroupChange change, Completion<Boolean> done);

    void groupsLoad(Completion<GroupRows> done);
}
