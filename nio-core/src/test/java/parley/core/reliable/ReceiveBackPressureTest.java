package parley.core.reliable;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19 item 10: an application that cannot keep up (its store is backed up) stops taking
 * messages, and that must reach the sender through the window instead of piling up in memory or
 * being dropped after the sender was told they were delivered. Synthetic time, exact outcomes.
 */
class ReceiveBackPressureTest {
    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    static ReliableConfig small() {
        ReliableConfig c = new ReliableConfig();
        c.maxMessage = 1024;
        c.receiveWindow = 16 * 1024;
        c.sendBuffer = 16 * 1024;
        return c;
    }

    static ByteBuffer numbered(int i) {
        ByteBuffer b = ByteBuffer.allocate(500);
        b.putInt(0, i);
        return b;
    }

    @Test
    void aReceiverThatTakesNothingHoldsTheSenderBackWithoutLossAndResumesInOrder() {
        SyntheticLink link = new SyntheticLink(small(), 5 * MS);
        link.b.recorder.accepting = false;
        int accepted = 0;
        while (link.a.session.send(numbered(accepted)) != ReliableSession.REFUSED) {
            accepted++;
        }
        link.a.session.flush(link.now);
        // Far longer than the idle timeout: keepalives hold the session while nothing moves.
        link.run(link.now + 40_000 * MS);
        assertThat(link.a.session.isDead()).isFalse();
        assertThat(link.b.session.isDead()).isFalse();
        assertThat(link.b.recorder.messages).isEmpty();
        assertThat(link.a.recorder.delivered).as("nothing reported delivered that the app did not take").isEmpty();
        assertThat(link.a.session.pendingMessages()).isEqualTo(accepted);
        // The sender was held to the window: the receiver holds its window of bytes plus its
        // fixed tables (about 16 KiB), however long the application stalls.
        assertThat(link.b.session.retainedBytes()).isLessThan(small().receiveWindow + 16 * 1024);
        assertThat(link.a.session.send(numbered(-1))).isEqualTo(ReliableSession.REFUSED);

        link.b.recorder.accepting = true;
        link.b.session.resumeDelivery(link.now);
        link.run(link.now + 2_000 * MS);
        assertThat(link.b.recorder.messages).hasSize(accepted);
        for (int i = 0; i < accepted; i++) {
            assertThat(ByteBuffer.wrap(link.b.recorder.messages.get(i)).getInt(0)).isEqualTo(i);
        }
        assertThat(link.a.recorder.delivered).hasSize(accepted);
        assertThat(link.a.session.send(numbered(accepted))).isNotEqualTo(ReliableSession.REFUSED);
    }

    @Test
    void deliveryStopsMidPacketAndGoesOnExactlyWhereItStopped() {
        SyntheticLink link = new SyntheticLink(small(), 5 * MS);
        link.b.recorder.acceptLimit = 3;
        for (int i = 0; i < 10; i++) {
            link.a.session.send(ByteBuffer.wrap(new byte[] {(byte) i}));
        }
        link.a.session.flush(link.now); // all ten in one packet
        link.run(link.now + 1_000 * MS);
        // Three taken; the rest of the same packet waits in the session, it does not vanish.
        assertThat(link.b.recorder.messages).hasSize(3);
        assertThat(link.a.recorder.delivered).hasSize(3);
        link.b.recorder.acceptLimit = Integer.MAX_VALUE;
        link.b.session.resumeDelivery(link.now);
        link.run(link.now + 1_000 * MS);
        assertThat(link.b.recorder.messages).hasSize(10);
        for (int i = 0; i < 10; i++) {
            assertThat(link.b.recorder.messages.get(i)[0]).isEqualTo((byte) i);
        }
        assertThat(link.a.recorder.delivered).hasSize(10);
    }
}
