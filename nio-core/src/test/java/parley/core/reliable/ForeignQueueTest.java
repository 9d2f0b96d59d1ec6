package parley.core.reliable;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ForeignQueue} on values passed in, at 20 Mbit/s (2.5 MB/s) with 1,200-byte datagrams:
 * two of them take 0.96 ms there, more than the allowance's 0.5 ms floor. (The rule's main cases,
 * through {@link StandingQueue}, are in {@link StandingQueueTest}.)
 */
class ForeignQueueTest {
    static final long MS = 1_000_000;
    static final long RATE = 2_500_000;
    static final long ALLOWANCE = MS / 2;
    /** Six phases of a 30 ms minimum RTT that holds another flow's queue. */
    static final long CRUISE = 180 * MS;

    private final ForeignQueue q = new ForeignQueue(1200);

    /** A standing cycle (3 ms of queue through its last phase) that measured {@code rate}. */
    private boolean standing(long rate) {
        return q.cycleEnded(true, rate, CRUISE, 3 * MS, ALLOWANCE, RATE);
    }

    /** Our share falls cut by cut: the second low measure in a row is the verdict. */
    private void verdict() {
        q.onCut(RATE);
        assertThat(standing(RATE * 80 / 100)).isFalse();
        assertThat(standing(RATE * 75 / 100)).isTrue();
        q.clear(); // competing mode, then its recheck
    }

    @Test
    void afterAVerdictTheNextStandingQueueIsAnotherFlowsAtOnce() {
        verdict();
        assertThat(standing(RATE / 2)).isTrue();
    }

    /** At 20 Mbit/s a last phase 0.8 ms over the minimum is one datagram short of empty: drained. */
    @Test
    void aLastPhaseWithinTwoDatagramsAtTheRateInUseIsDrainedAndEndsTheSuspicion() {
        verdict();
        assertThat(q.cycleEnded(false, RATE, CRUISE, 8 * MS / 10, ALLOWANCE, RATE)).isFalse();
        assertThat(standing(RATE / 2)).isFalse();
    }

    /** A cycle the application limited, or with no RTT sample in its last phase, says nothing either way. */
    @Test
    void anUnknownLastPhaseNeitherCountsNorEndsTheSuspicion() {
        verdict();
        assertThat(q.cycleEnded(true, RATE / 2, CRUISE, -1, ALLOWANCE, RATE)).isFalse();
        assertThat(standing(RATE / 2)).isTrue();
    }

    /** Our share measured low twice over short cruises (48 ms: 20 Mbit/s on a sub-millisecond path) is no verdict. */
    @Test
    void measuresOverShortCruisesAreNoVerdict() {
        q.onCut(RATE);
        for (int i = 0; i < 5; i++) {
            assertThat(q.cycleEnded(true, RATE * 80 / 100, 48 * MS, 3 * MS, ALLOWANCE, RATE)).isFalse();
        }
    }

    /** A cycle whose queue did not stand, but did not drain either, does not end it. */
    @Test
    void anUndrainedCycleWithoutAStandingQueueKeepsTheSuspicion() {
        verdict();
        assertThat(q.cycleEnded(false, RATE, CRUISE, 2 * MS, ALLOWANCE, RATE)).isFalse();
        assertThat(standing(RATE / 2)).isTrue();
    }
}
