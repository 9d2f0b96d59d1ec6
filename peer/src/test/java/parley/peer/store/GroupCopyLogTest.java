package parley.peer.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The group copies' record across runs (issue 14): every copy is pending from the moment its
 * message is stored until it is queued, delivered or failed, and what is still pending when the
 * store is opened again is exactly what the next run sends again, in the group's order. A failed
 * copy is kept as failed, so a message that reached nobody counts 0 members reached.
 */
class GroupCopyLogTest {
    private static final byte[] OPS = new byte[16];

    @TempDir
    Path dir;

    @Test
    void copiesStayPendingUntilQueuedDeliveredOrFailedAndThePendingOnesSurviveReopening() throws Exception {
        Path file = LocalStore.fileFor(dir, "bob");
        try (LocalStore s = LocalStore.open(file)) {
            assertThat(s.addOwnGroupMessage(new GroupLog.Row(OPS, "bob", 2, 7, 20, "second", 200), List.of("carol", "dave"))).isTrue();
            assertThat(s.addOwnGroupMessage(new GroupLog.Row(OPS, "bob", 1, 5, 10, "first", 100), List.of("carol", "dave", "erin"))).isTrue();
            s.groupCopies().out(OPS, 10, "carol"); // on to the mailbox after a lost session: still pending
            s.groupCopies().delivered(OPS, 10, "dave");
            s.groupCopies().queued(10, "erin");
            s.groupCopies().failed(20, "dave");
            s.groupCopies().delivered(OPS, 10, "erin"); // a late receipt; queued() below must not undo it
            s.groupCopies().queued(10, "erin");
        }
        try (LocalStore s = LocalStore.open(file)) {
            List<GroupCopyLog.Pending> p = s.groupCopies().pending("bob");
            assertThat(p).extracting(GroupCopyLog.Pending::text, GroupCopyLog.Pending::member)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("first", "carol"),
                            org.assertj.core.groups.Tuple.tuple("second", "carol"));
            assertThat(p.get(0).sequence()).isEqualTo(1);
            assertThat(p.get(0).lamport()).isEqualTo(5);
            assertThat(p.get(0).sentAt()).isEqualTo(100);
            assertThat(s.groupCopies().pending("carol")).as("only our own messages").isEmpty();
            assertThat(s.groupCopies().reached(OPS)).isEqualTo(Map.of(10L, 2, 20L, 0));
            // A RECEIPT for a copy whose deposit answer was never recorded settles it all the same.
            assertThat(s.groupCopies().settle(20, "carol", true)).isEqualTo(OPS);
            assertThat(s.groupCopies().pending("bob")).hasSize(1);
            assertThat(s.groupCopies().settle(20, "dave", true)).as("a failed copy stays failed").isNull();
            assertThat(s.groupCopies().reached(OPS)).isEqualTo(Map.of(10L, 2, 20L, 1));
        }
    }
}
