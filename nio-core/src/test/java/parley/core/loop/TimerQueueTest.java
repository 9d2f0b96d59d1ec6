package parley.core.loop;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TimerQueueTest {

    @Property
    void timersFireInDeadlineOrderAndCancelledOnesNever(@ForAll @Size(min = 1, max = 300) List<@LongRange(min = 0, max = 1_000_000) Long> deadlines) {
        TimerQueue q = new TimerQueue();
        List<Long> fired = new ArrayList<>();
        List<Timer> timers = new ArrayList<>();
        for (long d : deadlines) {
            Timer t = new Timer(now -> fired.add(d));
            timers.add(t);
            q.schedule(t, d);
        }
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < timers.size(); i++) {
            if (i % 3 == 0) {
                assertThat(q.cancel(timers.get(i))).isTrue();
                assertThat(timers.get(i).isScheduled()).isFalse();
            } else {
                expected.add(deadlines.get(i));
            }
        }
        expected.sort(null);
        // Advance synthetic time in steps: nothing fires early, everything fires in order.
        for (long now = 0; now <= 1_000_000; now += 50_000) {
            q.expire(now, Integer.MAX_VALUE);
            for (long f : fired) {
                assertThat(f).isLessThanOrEqualTo(now);
            }
        }
        assertThat(fired).isEqualTo(expected);
        assertThat(q.size()).isZero();
    }

    @Test
    void rescheduleMovesATimerEitherWay() {
        TimerQueue q = new TimerQueue();
        List<String> fired = new ArrayList<>();
        Timer a = new Timer(now -> fired.add("a"));
        Timer b = new Timer(now -> fired.add("b"));
        q.schedule(a, 100);
        q.schedule(b, 200);
        q.schedule(a, 300); // later
        assertThat(q.nextDeadline()).isEqualTo(200);
        q.schedule(a, 50); // earlier
        assertThat(q.nextDeadline()).isEqualTo(50);
        q.expire(1000, 10);
        assertThat(fired).containsExactly("a", "b");
    }

    @Test
    void aTimerRearmingItselfCannotPinTheLoop() {
        TimerQueue q = new TimerQueue();
        int[] count = {0};
        Timer[] self = new Timer[1];
        self[0] = new Timer(now -> {
            count[0]++;
            q.schedule(self[0], now);
        });
        q.schedule(self[0], 0);
        assertThat(q.expire(10, 100)).isEqualTo(100);
        assertThat(count[0]).isEqualTo(100);
    }

    @Test
    void emptyQueueHasNoDeadline() {
        assertThat(new TimerQueue().nextDeadline()).isEqualTo(TimerQueue.NONE);
        assertThat(new TimerQueue().cancel(new Timer(n -> { }))).isFalse();
    }
}
