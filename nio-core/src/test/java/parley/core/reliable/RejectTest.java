package parley.core.reliable;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static parley.core.reliable.ReliableLogicTest.MS;
import static parley.core.reliable.ReliableLogicTest.str;
import static parley.core.reliable.ReliableLogicTest.text;

/** REJECT frames on synthetic time: a message the receiving application refuses is failed, never delivered. */
class RejectTest {
    private static SyntheticLink link() {
        SyntheticLink link = new SyntheticLink(new ReliableConfig(), 5 * MS);
        link.b.recorder.session = link.b.session;
        link.b.recorder.rejectIf = m -> str(m).startsWith("bad") ? 7 : 0;
        return link;
    }

    @Test
    void aRejectedMessageFailsAtTheSenderWithTheReasonAndTheOthersAreDelivered() {
        SyntheticLink link = link();
        long first = link.a.session.send(text("good 1"));
        long bad = link.a.session.send(text("bad 2"));
        long last = link.a.session.send(text("good 3"));
        link.a.session.flush(link.now);
        link.run(link.now + 200 * MS);

        assertThat(link.b.recorder.messages).extracting(ReliableLogicTest::str).containsExactly("good 1", "good 3");
        assertThat(link.b.session.counters().messagesRejected()).isEqualTo(1);
        assertThat(link.a.recorder.delivered).containsOnlyKeys(first, last);
        assertThat(link.a.recorder.rejected).containsExactly(java.util.Map.entry(bad, 7));
        assertThat(link.a.session.isDead()).isFalse();
        assertThat(link.b.session.isDead()).isFalse();
    }

    @Test
    void theRejectionSurvivesLossOfThePacketsThatCarryItAndPrecedesEveryDeliveredOffsetPastIt() {
        SyntheticLink link = link();
        // Every packet from b is lost for a while, then every other one: acks and rejections alike.
        link.b.dropIf = pn -> pn < 4 || pn % 2 == 0;
        long bad = 0;
        for (int i = 0; i < 30; i++) {
            long id = link.a.session.send(text((i % 3 == 1 ? "bad " : "good ") + i));
            if (i == 1) {
                bad = id;
            }
        }
        link.a.session.flush(link.now);
        link.run(link.now + 2_000 * MS);

        assertThat(link.b.recorder.messages).hasSize(20);
        assertThat(link.a.recorder.rejected).hasSize(10).containsEntry(bad, 7);
        assertThat(link.a.recorder.delivered).hasSize(20);
        assertThat(link.a.recorder.rejected.keySet()).doesNotContainAnyElementsOf(link.a.recorder.delivered.keySet());
        assertThat(link.a.session.isDead()).isFalse();
    }

    @Test
    void moreUnconfirmedRejectionsThanTheBoundEndTheSessionWithoutALie() {
        SyntheticLink link = link();
        int n = Rejections.CAPACITY + 20;
        for (int i = 0; i < n; i++) {
            link.a.session.send(text("bad " + i)); // all in one or two datagrams: no ack in between
        }
        link.a.session.flush(link.now);
        link.run(link.now + 60_000 * MS);

        assertThat(link.b.session.isDead()).isTrue();
        assertThat(link.b.session.deathReason()).contains("rejected faster");
        assertThat(link.a.session.isDead()).isTrue();
        assertThat(link.a.recorder.delivered).isEmpty();
        assertThat(link.a.recorder.failed).hasSize(n);
    }
}
