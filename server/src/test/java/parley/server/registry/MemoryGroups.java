package parley.server.registry;

import parley.server.store.Completion;
import parley.server.store.GroupChange;
import parley.server.store.GroupRecord;
import parley.server.store.GroupRows;
import parley.server.store.GroupWrites;
import parley.server.store.StorageFailure;

import java.util.ArrayList;
import java.util.List;

/**
 * The group writes of the harness: completed at once, each recorded; {@link #failNext} makes the
 * next one fail as a storage error would, and {@link #hold} keeps completions back until
 * {@link #release}, so a test can act while a change is in flight.
 */
final class MemoryGroups implements GroupWrites {
    final List<String> writes = new ArrayList<>();
    private final List<Runnable> held = new ArrayList<>();
    private StorageFailure failNext;
    private boolean holding;

    void failNext(StorageFailure e) {
        failNext = e;
    }

    void hold() {
        holding = true;
    }

    void release() {
        holding = false;
        List<Runnable> now = new ArrayList<>(held);
        held.clear();
        now.forEach(Runnable::run);
    }

    private void done(String what, Completion<Boolean> done) {
        StorageFailure e = failNext;
        failNext = null;
        Runnable finish = () -> {
            if (e != null) {
                done.complete(null, e);
                return;
            }
            writes.add(what);
            done.complete(Boolean.TRUE, null);
        };
        if (holding) {
            held.add(finish);
        } else {
            finish.run();
        }
    }

    @Override
    public void groupCreate(GroupRecord group, long owner, Completion<Boolean> done) {
        done("create " + group.nameKey() + " owner " + owner, done);
    }

    @Override
    public void groupChange(GroupChange change, Completion<Boolean> done) {
        StringBuilder b = new StringBuilder("change v").append(change.version());
        for (int i = 0; i < change.accounts().length; i++) {
            b.append(' ').append(change.accounts()[i]).append('=').append(change.roles()[i]);
        }
        done(change.dissolve() ? "dissolve v" + change.version() : b.toString(), done);
    }

    @Override
    public void groupsLoad(Completion<GroupRows> done) {
        done.complete(GroupRows.EMPTY, null);
    }
}
