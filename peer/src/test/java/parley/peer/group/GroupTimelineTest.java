package parley.peer.group;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ordering rules of PROTOCOL.md 9.3.2 on their own: whatever order messages arrive in, and
 * however often, every member ends with the same history (Lamport time, then sender), each
 * message once; a message placed before one already held is late; holes in a sender's sequence
 * are gaps until filled; blocked senders are hidden with a count.
 */
class GroupTimelineTest {
    record Msg(String sender, long seq, long lamport, String text) {
    }

    /** Three senders talking, each send stamped from its own timeline as the peers would. */
    private static List<Msg> conversation(Random r, int n) {
        String[] names = {"alice", "bob", "carol"};
        List<GroupTimeline> lines = List.of(new GroupTimeline(), new GroupTimeline(), new GroupTimeline());
        List<Msg> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int who = r.nextInt(3);
            // Each sender has seen a random prefix of what was sent so far (concurrency).
            GroupTimeline mine = lines.get(who);
            for (Msg m : sent.subList(0, r.nextInt(sent.size() + 1))) {
                mine.receive(m.sender(), m.seq(), m.lamport(), m.text());
            }
            long[] stamp = mine.nextSend();
            Msg m = new Msg(names[who], stamp[1], stamp[0], names[who] + "-" + stamp[1]);
            mine.receive(m.sender(), m.seq(), m.lamport(), m.text());
            sent.add(m);
        }
        return sent;
    }

    private static List<String> texts(GroupTimeline t) {
        return t.history().stream().map(GroupTimeline.Entry::text).collect(Collectors.toList());
    }

    @Test
    void everyArrivalOrderGivesTheSameHistoryEachMessageOnce() {
        Random r = new Random(14);
        List<Msg> sent = conversation(r, 60);
        List<String> reference = null;
        for (int member = 0; member < 5; member++) {
            List<Msg> arrivals = new ArrayList<>(sent);
            arrivals.addAll(sent.subList(0, 20)); // repeats: by session and again from the mailbox
            Collections.shuffle(arrivals, r);
            GroupTimeline t = new GroupTimeline();
            int duplicates = 0;
            for (Msg m : arrivals) {
                if (t.receive(m.sender(), m.seq(), m.lamport(), m.text()) == GroupTimeline.Placed.DUPLICATE) {
                    duplicates++;
                }
            }
            assertThat(duplicates).isEqualTo(20);
            assertThat(t.size()).isEqualTo(60);
            if (reference == null) {
                reference = texts(t);
            }
            assertThat(texts(t)).as("member %d", member).isEqualTo(reference);
            assertThat(t.sendersWithGaps()).isEmpty();
        }
        // Each sender's own messages keep their sequence order in the shared history.
        for (String s : List.of("alice", "bob", "carol")) {
            List<String> own = reference.stream().filter(x -> x.startsWith(s + "-")).collect(Collectors.toList());
            List<String> bySeq = sent.stream().filter(m -> m.sender().equals(s)).map(Msg::text).collect(Collectors.toList());
            assertThat(own).isEqualTo(bySeq);
        }
    }

    @Test
    void aMessageBeforeOneAlreadyHeldIsLateAndPlacedWhereItBelongs() {
        GroupTimeline t = new GroupTimeline();
        assertThat(t.receive("alice", 1, 1, "a1")).isEqualTo(GroupTimeline.Placed.IN_ORDER);
        assertThat(t.receive("bob", 1, 3, "b1")).isEqualTo(GroupTimeline.Placed.IN_ORDER);
        assertThat(t.receive("carol", 1, 2, "c1")).isEqualTo(GroupTimeline.Placed.LATE);
        assertThat(t.receive("alice", 2, 3, "a2")).as("same Lamport time: alice before bob").isEqualTo(GroupTimeline.Placed.LATE);
        assertThat(texts(t)).containsExactly("a1", "c1", "a2", "b1");
        assertThat(t.history().get(1).late()).isTrue();
        assertThat(t.clock()).isEqualTo(3);
        assertThat(t.nextSend()).containsExactly(4, 1);
    }

    @Test
    void holesInASendersSequenceAreGapsUntilFilled() {
        GroupTimeline t = new GroupTimeline();
        t.receive("bob", 1, 1, "b1");
        t.receive("bob", 4, 7, "b4");
        t.receive("bob", 6, 9, "b6");
        assertThat(t.gaps("bob")).containsExactly(2L, 3L, 5L);
        assertThat(t.sendersWithGaps()).containsExactly("bob");
        t.receive("bob", 3, 5, "b3");
        t.receive("bob", 2, 3, "b2");
        t.receive("bob", 5, 8, "b5");
        assertThat(t.gaps("bob")).isEmpty();
        assertThat(texts(t)).containsExactly("b1", "b2", "b3", "b4", "b5", "b6");
    }

    @Test
    void aBlockedSendersMessagesAreHiddenAndCounted() {
        GroupTimeline t = new GroupTimeline();
        t.receive("alice", 1, 1, "hi");
        t.receive("mallory", 1, 2, "spam");
        t.receive("mallory", 2, 3, "more spam");
        t.receive("bob", 1, 4, "hello");
        GroupTimeline.View v = t.view("mallory"::equals);
        assertThat(v.shown()).extracting(GroupTimeline.Entry::text).containsExactly("hi", "hello");
        assertThat(v.hidden()).isEqualTo(2);
    }

    @Test
    void restoreKeepsTheClocksAheadOfWhatWasSentBeforeARestart() {
        GroupTimeline t = new GroupTimeline();
        t.restore(41, 7);
        assertThat(t.nextSend()).containsExactly(42, 8);
    }
}
