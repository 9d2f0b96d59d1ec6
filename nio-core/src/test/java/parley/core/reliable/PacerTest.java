package parley.core.reliable;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Pacer}: the burst a loop may send at once, on synthetic time. A loop whose wake-ups come
 * one or two of its 1 ms ticks apart keeps the whole rate; one that wakes late sends at most
 * {@link Pacer#QUANTUM_NANOS} of the rate at once, and what was due before that is not sent in a
 * burst. At 100 Mbit/s that burst is 25 KB, more than the lab's tbf lets through at once (15 KB);
 * a shorter one was tried in bottleneck round 19 (PERFORMANCE.md) and not kept.
 */
class PacerTest {
    static final long MS = 1_000_000;
    static final int DATAGRAM = 1472;
    /** 100 Mbit/s. */
    static final long RATE = 12_500_000;

    private final Pacer pacer = new Pacer(2 * DATAGRAM);

    /** Sends every datagram the pacer allows at {@code now}; returns the bytes sent. */
    private long wake(long now) {
        long bytes = 0;
        while (pacer.allows(now)) {
            pacer.onSent(DATAGRAM, now);
            bytes += DATAGRAM;
        }
        return bytes;
    }

    @Test
    void aLoopWakingOneOrTwoTicksApartKeepsTheWholeRate() {
        pacer.rate(RATE);
        long now = 0;
        wake(now);
        long sent = 0;
        for (int i = 0; i < 1000; i++) {
            now += i % 2 == 0 ? MS : 2 * MS; // a deadline just past a tick waits for the next one
            sent += wake(now);
        }
        long due = RATE * now / Pacer.NANOS_PER_SECOND;
        assertThat(sent).isBetween(due - 2 * DATAGRAM, due + 2 * DATAGRAM);
    }

    @Test
    void aLoopWakingLateSendsAtMostTheQuantumAtOnce() {
        pacer.rate(RATE);
        long now = 0;
        wake(now);
        for (int i = 0; i < 10; i++) {
            now += MS;
            wake(now);
        }
        now += 5 * MS; // descheduled for 5 ms
        long quantum = RATE * Pacer.QUANTUM_NANOS / Pacer.NANOS_PER_SECOND;
        assertThat(wake(now)).isBetween(quantum - DATAGRAM, quantum + DATAGRAM);
        assertThat(wake(now + MS)).as("the next tick sends one tick's worth, not the rest of what was due")
                .isLessThanOrEqualTo(RATE * MS / Pacer.NANOS_PER_SECOND + DATAGRAM);
    }

    @Test
    void twoDatagramsMayAlwaysLeaveAtOnceHoweverLowTheRate() {
        pacer.rate(10_000); // 80 kbit/s: a datagram every 147 ms
        long now = 0;
        wake(now);
        now += 10_000 * MS;
        assertThat(wake(now)).isBetween(2L * DATAGRAM, 3L * DATAGRAM); // the clock lags by two; the one that crosses it
    }

    @Test
    void unpacedSendsAll() {
        pacer.rate(0);
        assertThat(pacer.allows(0)).isTrue();
        assertThat(pacer.nextSendTime()).isEqualTo(Long.MIN_VALUE);
    }
}
