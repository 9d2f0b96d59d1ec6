package parley.core.reliable;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The receive stream keeps at most {@link ReceiveStream#MAX_RANGES} ranges of data above its
 * contiguous point. Data that would need more used to be dropped while its packet was still
 * acknowledged, so the sender never resent it and the stream stalled for good (the synthetic
 * lab at 40 ms RTT: startup's overshoot into a tbf dropped thousands of packets in a burst).
 */
class HeldRangesTest {
    static final long MS = 1_000_000;

    @Test
    void moreGapsThanTheRangeTableHoldsStillEndWithEveryMessageDelivered() {
        ReliableConfig config = new ReliableConfig();
        config.receiveWindow = 4 * 1024 * 1024;
        config.sendBuffer = 4 * 1024 * 1024;
        config.maxMessage = 64 * 1024;
        config.initialWindow = 2000 * config.maxDatagram; // the first 1,200 packets leave before any ack
        SyntheticLink link = new SyntheticLink(config, 5 * MS);
        // Every other packet of the first 1,200 is lost: 600 gaps above the first.
        link.a.dropIf = pn -> pn < 1200 && pn % 2 == 1;
        ByteBuffer message = ByteBuffer.allocate(1000);
        int messages = 2000;
        for (int i = 0; i < messages; i++) {
            assertThat(link.a.session.send(message.clear())).isNotEqualTo(ReliableSession.REFUSED);
        }
        link.a.session.flush(link.now);
        link.run(link.now + 30_000 * MS);
        assertThat(link.a.session.isDead()).isFalse();
        assertThat(link.b.recorder.messages.size()).isEqualTo(messages);
        assertThat(link.b.session.counters().unheldPackets()).isPositive();
    }
}
