package parley.server.policy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimiterTest {
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;

    @Test
    void burstIsAllowedThenRejected() {
        RateLimiter r = new RateLimiter(10, 5, 100, SECOND);
        long now = 123 * SECOND;
        for (int i = 0; i < 5; i++) {
            assertThat(r.check(now)).as("request %d", i).isEqualTo(RateLimiter.ALLOWED);
        }
        assertThat(r.check(now)).isEqualTo(RateLimiter.REJECTED);
    }

    @Test
    void refillsAtTheSustainedRate() {
        RateLimiter r = new RateLimiter(10, 1, 100, SECOND);
        long now = 0;
        assertThat(r.check(now)).isEqualTo(RateLimiter.ALLOWED);
        assertThat(r.check(now + 99 * MS)).isEqualTo(RateLimiter.REJECTED);
        assertThat(r.retryAfterNanos(now + 99 * MS)).isEqualTo(1 * MS);
        assertThat(r.check(now + 100 * MS)).isEqualTo(RateLimiter.ALLOWED);
        assertThat(r.check(now + 200 * MS)).isEqualTo(RateLimiter.ALLOWED);
    }

    @Test
    void quietPeriodRefillsTheBurstButNoMore() {
        RateLimiter r = new RateLimiter(10, 3, 100, SECOND);
        long now = 0;
        for (int i = 0; i < 3; i++) {
            r.check(now);
        }
        now += 3600 * SECOND;
        int allowed = 0;
        for (int i = 0; i < 10; i++) {
            if (r.check(now) == RateLimiter.ALLOWED) {
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(3);
    }

    @Test
    void sustainedAbuseWithinTheWindowIsReported() {
        RateLimiter r = new RateLimiter(10, 1, 5, SECOND);
        long now = 0;
        r.check(now);
        for (int i = 1; i < 5; i++) {
            assertThat(r.check(now + i)).isEqualTo(RateLimiter.REJECTED);
        }
        assertThat(r.check(now + 5)).isEqualTo(RateLimiter.ABUSIVE);
    }

    @Test
    void rejectionsSpreadOverWindowsAreNotAbuse() {
        RateLimiter r = new RateLimiter(1, 1, 3, SECOND);
        long now = 0;
        for (int round = 0; round < 20; round++) {
            assertThat(r.check(now)).isEqualTo(RateLimiter.ALLOWED);
            // Two rejections per window: below the threshold of three.
            assertThat(r.check(now + 1)).isEqualTo(RateLimiter.REJECTED);
            assertThat(r.check(now + 2)).isEqualTo(RateLimiter.REJECTED);
            now += 2 * SECOND;
        }
    }

    @Test
    void worksAcrossNanoTimeWrap() {
        RateLimiter r = new RateLimiter(10, 1, 100, SECOND);
        long now = Long.MAX_VALUE - 50 * MS;
        assertThat(r.check(now)).isEqualTo(RateLimiter.ALLOWED);
        assertThat(r.check(now + 60 * MS)).isEqualTo(RateLimiter.REJECTED);
        assertThat(r.check(now + 100 * MS)).isEqualTo(RateLimiter.ALLOWED);
    }

    @Test
    void rejectsNonsenseConfiguration() {
        assertThatThrownBy(() -> new RateLimiter(0, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimiter(1, 0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Over any long run, allowed requests never exceed burst + rate * elapsed. */
    @Property(tries = 200)
    void neverAllowsMoreThanBurstPlusRate(@ForAll @IntRange(min = 1, max = 1000) int rate,
                                          @ForAll @IntRange(min = 1, max = 50) int burst,
                                          @ForAll @IntRange(min = 1, max = 5_000_000) int stepNanos) {
        RateLimiter r = new RateLimiter(rate, burst, Integer.MAX_VALUE, SECOND);
        long now = 0;
        long allowed = 0;
        int steps = 2000;
        for (int i = 0; i < steps; i++) {
            if (r.check(now) != RateLimiter.REJECTED) {
                allowed++;
            }
            now += stepNanos;
        }
        long elapsed = (long) stepNanos * (steps - 1);
        long interval = SECOND / rate;
        assertThat(allowed).isLessThanOrEqualTo(burst + elapsed / interval);
    }
}
