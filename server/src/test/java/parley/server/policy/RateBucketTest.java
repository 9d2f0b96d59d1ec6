package parley.server.policy;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The relay's byte/packet bucket on synthetic time: full at start, exact refill, capped at the burst. */
class RateBucketTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void startsFullTakesTheBurstThenRefillsAtTheRate() {
        RateBucket b = new RateBucket(1000, 2000);
        long t = 5 * SECOND;
        assertThat(b.tryTake(1500, t)).isTrue();
        assertThat(b.tryTake(600, t)).as("only 500 left").isFalse();
        assertThat(b.tryTake(500, t)).isTrue();
        assertThat(b.available(1, t)).isFalse();
        assertThat(b.tryTake(1, t + SECOND / 1000)).as("one unit per millisecond").isTrue();
        assertThat(b.available(1, t + SECOND / 1000)).isFalse();
    }

    @Test
    void aLongIdleRefillsOnlyToTheBurstAndNeverOverflows() {
        RateBucket b = new RateBucket(1L << 40, 1L << 32);
        assertThat(b.tryTake(1L << 32, 0)).isTrue();
        assertThat(b.available(1, Long.MAX_VALUE / 2)).isTrue();
        assertThat(b.tryTake((1L << 32) + 1, Long.MAX_VALUE / 2)).as("never above the burst").isFalse();
        assertThat(b.tryTake(1L << 32, Long.MAX_VALUE / 2)).isTrue();
    }

    @Test
    void timeGoingNowhereAddsNothing() {
        RateBucket b = new RateBucket(10, 10);
        assertThat(b.tryTake(10, 100)).isTrue();
        assertThat(b.available(1, 100)).isFalse();
        assertThat(b.available(1, 50)).as("an earlier time refills nothing").isFalse();
    }
}
