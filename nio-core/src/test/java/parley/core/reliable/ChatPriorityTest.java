package parley.core.reliable;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chat and a file transfer on one session, at the lab's 20 Mbit/s tbf bottleneck, on synthetic
 * time: bulk data sent straight into the session's one ordered stream fills its 4 MiB buffer and
 * a chat message waits behind all of it; through a {@link BulkGate} the chat message waits only
 * for the gate's short lead, and the transfer still fills the link.
 */
class ChatPriorityTest {
    static final long MS = 1_000_000;
    static final long ONE_WAY = 5 * MS;
    static final int FILE_MESSAGE = 16_000;
    static final int CHAT_MESSAGE = 100;

    @Test
    void chatSentDuringAGatedTransferArrivesWithinAFewMillisecondsOfTheIdleDelay() {
        Result gated = run(true);
        // The link stays full: message bytes over 90% of its rate, as without the gate.
        assertThat(gated.bulkBytesPerSecond).isGreaterThanOrEqualTo(CongestionControllerTest.LINK_RATE * 90 / 100);
        // Each chat message: the one-way delay, the bottleneck queue (a few ms alone), and the gate's
        // lead (8 ms of the pacing rate, at least one 16,000-byte file message). Seen: 9-20 ms.
        assertThat(gated.chatDelays).hasSize(20);
        assertThat(gated.chatDelays).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(ONE_WAY + 20 * MS));
    }

    @Test
    void withoutTheGateChatWaitsBehindTheWholeSendBuffer() {
        Result ungated = run(false);
        // What the gate prevents: 0.9-1.7 s behind up to 4 MiB of file data at 2.5 MB/s.
        assertThat(ungated.chatDelays).isNotEmpty();
        assertThat(ungated.chatDelays.get(0)).isGreaterThan(1000 * MS);
    }

    record Result(long bulkBytesPerSecond, List<Long> chatDelays) {
    }

    /** 5 s of file transfer; from 2 s on, a chat message every 50 ms for a second; how long each took to arrive. */
    private static Result run(boolean gate) {
        SyntheticLink link = CongestionControllerTest.labLink(CongestionControllerTest.LINK_RATE, ONE_WAY);
        ReliableSession a = link.a.session;
        BulkGate bulkGate = new BulkGate(a);
        ByteBuffer file = ByteBuffer.allocate(FILE_MESSAGE);
        Runnable pump = () -> {
            while ((gate ? bulkGate.sendBulk(file.clear()) : a.send(file.clear())) != ReliableSession.REFUSED) {
                // until the gate or the send buffer refuses; the link flushes after each packet and timer
            }
        };
        link.a.recorder.onWritable = pump;
        if (gate) {
            link.a.recorder.onRttSampleHook = pump;
        }
        pump.run();
        a.flush(link.now);
        List<Long> sentAt = new ArrayList<>();
        List<Long> delays = new ArrayList<>();
        long start = link.now;
        long measureFrom = start + 2000 * MS;
        long bulkAtMeasure = 0;
        long bulkPerSecond = 0;
        int seen = 0;
        for (long t = start; t < start + 5000 * MS; t += MS) {
            if (t == measureFrom) {
                bulkAtMeasure = bulkBytes(link);
            }
            if (t == measureFrom + 1000 * MS) {
                bulkPerSecond = bulkBytes(link) - bulkAtMeasure;
            }
            if (t >= measureFrom && (t - measureFrom) % (50 * MS) == 0 && sentAt.size() < 20) {
                ByteBuffer chat = ByteBuffer.allocate(CHAT_MESSAGE);
                chat.putInt(0, sentAt.size());
                assertThat(a.send(chat)).isNotEqualTo(ReliableSession.REFUSED);
                a.flush(link.now);
                sentAt.add(link.now);
            }
            link.run(t + MS);
            List<byte[]> got = link.b.recorder.messages;
            for (; seen < got.size(); seen++) {
                if (got.get(seen).length == CHAT_MESSAGE) {
                    delays.add(link.now - sentAt.get(ByteBuffer.wrap(got.get(seen)).getInt(0)));
                }
            }
        }
        return new Result(bulkPerSecond, delays);
    }

    private static long bulkBytes(SyntheticLink link) {
        long n = 0;
        for (byte[] m : link.b.recorder.messages) {
            n += m.length == FILE_MESSAGE ? m.length : 0;
        }
        return n;
    }
}
