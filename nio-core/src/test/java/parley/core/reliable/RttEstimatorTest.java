package parley.core.reliable;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 6298's formulas, step by step. */
class RttEstimatorTest {
    @Test
    void firstSampleSetsSrttAndHalfVariance() {
        RttEstimator e = new RttEstimator(500, 10, 100_000, 1);
        assertThat(e.rto()).isEqualTo(500 + 4 * 250);
        e.sample(100);
        assertThat(e.smoothed()).isEqualTo(100);
        assertThat(e.variance()).isEqualTo(50);
        assertThat(e.rto()).isEqualTo(100 + 200);
    }

    @Test
    void laterSamplesUseAlphaOneEighthAndBetaOneQuarter() {
        RttEstimator e = new RttEstimator(500, 10, 100_000, 1);
        e.sample(100);
        e.sample(200);
        // RTTVAR = 3/4 * 50 + 1/4 * |100 - 200| = 62 (integer), SRTT = 7/8 * 100 + 1/8 * 200 = 112
        assertThat(e.variance()).isEqualTo(62);
        assertThat(e.smoothed()).isEqualTo(112);
    }

    @Test
    void rtoIsClampedAndBacksOffByDoubling() {
        RttEstimator e = new RttEstimator(500, 1000, 6000, 1);
        e.sample(10);
        assertThat(e.rto()).as("minimum").isEqualTo(1000);
        assertThat(e.rto(1)).isEqualTo(2000);
        assertThat(e.rto(2)).isEqualTo(4000);
        assertThat(e.rto(3)).as("maximum").isEqualTo(6000);
        assertThat(e.rto(40)).isEqualTo(6000);
    }

    @Test
    void granularityIsTheFloorOfTheVarianceTerm() {
        RttEstimator e = new RttEstimator(500, 1, 100_000, 40);
        e.sample(100);
        for (int i = 0; i < 50; i++) {
            e.sample(100);
        }
        assertThat(e.rto()).isEqualTo(100 + 40);
    }
}
