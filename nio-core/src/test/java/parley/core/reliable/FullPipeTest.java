package parley.core.reliable;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Startup's full-pipe test counts only rounds that took a sample the application did not limit. */
class FullPipeTest {
    @Test
    void threeFlatSampledRoundsFillThePipe() {
        FullPipe pipe = new FullPipe();
        pipe.onSample(false);
        assertThat(pipe.roundEnded(1_000_000)).isFalse();
        for (int i = 1; i < FullPipe.ROUNDS; i++) {
            pipe.onSample(false);
            assertThat(pipe.roundEnded(1_100_000)).isFalse();
        }
        pipe.onSample(false);
        assertThat(pipe.roundEnded(1_100_000)).isTrue();
    }

    @Test
    void roundsWithoutASampleOrWithOnlyApplicationLimitedOnesSayNothing() {
        FullPipe pipe = new FullPipe();
        pipe.onSample(false);
        assertThat(pipe.roundEnded(1_000_000)).isFalse();
        for (int i = 0; i < 10; i++) {
            assertThat(pipe.roundEnded(1_000_000)).as("a round with no sample").isFalse();
            pipe.onSample(true);
            assertThat(pipe.roundEnded(1_000_000)).as("a round with an application-limited sample").isFalse();
        }
    }
}
