package parley.core.reliable;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecentRatesTest {
    private final RecentRates rates = new RecentRates();

    private void add(long... values) {
        for (long r : values) {
            rates.add(r);
        }
    }

    @Test
    void noRateHasAMedianOfZero() {
        assertThat(rates.median()).isZero();
        assertThat(rates.count()).isZero();
    }

    @Test
    void theMedianOfAnEvenCountIsTheLowerMiddleOne() {
        rates.add(300);
        assertThat(rates.median()).isEqualTo(300);
        rates.add(100);
        assertThat(rates.median()).isEqualTo(100);
        rates.add(200);
        assertThat(rates.median()).isEqualTo(200);
    }

    /** One stalled host's low measure and one bunch of acks' high one leave the median where the rest are. */
    @Test
    void oneLowAndOneHighMeasureDoNotMoveTheMedian() {
        add(97, 56, 98, 130, 96);
        assertThat(rates.median()).isEqualTo(97);
    }

    /** Only the last five count: a link that got slower is known from its third measure on. */
    @Test
    void theOldestMeasureGoesFirst() {
        add(100, 100, 100, 100, 100, 50, 50);
        assertThat(rates.count()).isEqualTo(RecentRates.SIZE);
        assertThat(rates.median()).isEqualTo(100);
        rates.add(50);
        assertThat(rates.median()).isEqualTo(50);
    }

    /** Five measures whose middle three are within 10% of the median are one rate; fewer, or further apart, are not. */
    @Test
    void settledMeansFiveMeasuresWhoseMiddleThreeAgree() {
        for (long r : new long[] {194, 175, 206, 197, 210}) {
            assertThat(rates.settled()).isFalse();
            rates.add(r);
        }
        assertThat(rates.settled()).as("194, 197, 206 of 197").isTrue();
        rates.clear();
        add(84, 103, 160, 151, 188);
        assertThat(rates.settled()).as("a process still compiling its code: 103, 151, 160").isFalse();
    }

    @Test
    void clearForgetsEverything() {
        rates.add(100);
        rates.clear();
        assertThat(rates.median()).isZero();
        rates.add(7);
        assertThat(rates.median()).isEqualTo(7);
    }
}
