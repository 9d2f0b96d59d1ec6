package parley.peer;

import org.junit.jupiter.api.Test;
import parley.peer.core.Backoff;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {
    @Test
    void delaysDoubleWithinTheUpperHalfOfEachStepUpToTheCap() {
        Backoff b = new Backoff(100, 1000, new Random(7));
        long[] steps = {100, 200, 400, 800, 1000, 1000, 1000};
        for (long step : steps) {
            long d = b.next();
            assertThat(d).isBetween(step / 2, step);
        }
        b.reset();
        assertThat(b.next()).isBetween(50L, 100L);
    }

    @Test
    void theSameSeedGivesTheSameDelaysAndOtherSeedsSpreadThem() {
        Backoff a = new Backoff(1_000_000, 1_000_000_000, new Random(1));
        Backoff a2 = new Backoff(1_000_000, 1_000_000_000, new Random(1));
        Backoff c = new Backoff(1_000_000, 1_000_000_000, new Random(2));
        long x = a.next();
        assertThat(a2.next()).isEqualTo(x);
        assertThat(c.next()).isNotEqualTo(x);
    }
}
