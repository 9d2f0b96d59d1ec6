package parley.core.reliable;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 12: the punching schedule on time passed in: paced over the targets, 5 s, then silent. */
class PathProberTest {
    static final InetSocketAddress X = new InetSocketAddress("192.0.2.1", 1000);
    static final InetSocketAddress Y = new InetSocketAddress("192.0.2.2", 2000);

    @Test
    void twoTargetsGetAChallengeEach200MsSpreadEvenlyForFiveSeconds() {
        AtomicLong seq = new AtomicLong(100);
        PathProber p = new PathProber(seq::incrementAndGet);
        long t0 = 1_000_000_000L;
        p.start(List.of(X, Y, X), t0); // duplicates count once
        List<Long> times = new ArrayList<>();
        List<InetSocketAddress> to = new ArrayList<>();
        for (long now = t0; now < t0 + 7_000_000_000L; now += 1_000_000) {
            for (int i = p.due(now); i >= 0; i = p.due(now)) {
                times.add(now);
                to.add(p.target(i));
            }
        }
        assertThat(times).hasSize(50); // 25 each
        for (int i = 1; i < times.size(); i++) {
            assertThat(times.get(i) - times.get(i - 1)).isEqualTo(PathProber.INTERVAL_NANOS / 2); // never a burst
            assertThat(to.get(i)).isNotEqualTo(to.get(i - 1));
        }
        assertThat(p.running()).isFalse();
        assertThat(p.nextDeadline()).isEqualTo(Long.MAX_VALUE);
        assertThat(p.validates(X, 101)).isTrue();
        assertThat(p.validates(Y, 102)).isTrue();
        assertThat(p.validates(Y, 101)).isFalse(); // X's challenge echoed from Y proves nothing
    }

    @Test
    void aLateLoopCatchesUpOneChallengeAtATime() {
        PathProber p = new PathProber(() -> 7);
        p.start(List.of(X), 0);
        assertThat(p.due(0)).isZero();
        assertThat(p.due(1_000_000_000L)).isZero(); // a second late: one send, not five
        assertThat(p.due(1_000_000_000L)).isEqualTo(-1);
    }

    @Test
    void nothingToPunchAtStartsNothing() {
        PathProber p = new PathProber(() -> 7);
        p.start(List.of(), 0);
        assertThat(p.running()).isFalse();
        assertThat(p.due(0)).isEqualTo(-1);
    }
}
