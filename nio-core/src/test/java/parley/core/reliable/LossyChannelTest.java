package parley.core.reliable;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 100,000 messages through 20% loss, 5% duplication and reordering, on real loopback sockets. Most
 * are 16 B to 1 KB; one in 200 is 2 KB to 200 KB, so fragmentation is exercised under loss. Each
 * must arrive exactly once, in order, intact, and be reported delivered.
 */
class LossyChannelTest {
    static final int MESSAGES = 100_000;

    static int sizeOf(Random rnd, int i) {
        return i % 200 == 199 ? 2048 + rnd.nextInt(200 * 1024 - 2048) : 16 + rnd.nextInt(1024 - 16);
    }

    /** Message i: its index, a CRC of the rest, then seeded filler. */
    static ByteBuffer message(Random rnd, int i, ByteBuffer into) {
        int size = sizeOf(rnd, i);
        into.clear();
        into.putInt(i).putLong(0);
        for (int k = 12; k < size; k++) {
            into.put((byte) (i * 31 + k));
        }
        CRC32 crc = new CRC32();
        crc.update(into.array(), 12, size - 12);
        into.putLong(4, crc.getValue());
        into.flip();
        return into;
    }

    @Test
    void everyMessageArrivesOnceInOrderThroughLossDuplicationAndReordering() throws Exception {
        ReliableConfig config = new ReliableConfig();
        try (PeerPair p = new PeerPair(config, null, null)) {
            // The injectors hold datagrams back with timers, so they need their loops.
            PeerPair.on(p.loopA, () -> {
                p.a.path(path -> new FaultInjector(p.loopA, path, 1, 0.20, 0.05, 0.05));
                return null;
            });
            PeerPair.on(p.loopB, () -> {
                p.b.path(path -> new FaultInjector(p.loopB, path, 2, 0.20, 0.05, 0.05));
                return null;
            });
            p.recB.expectMessages(MESSAGES);
            p.recA.expectDelivered(MESSAGES);
            ByteBuffer scratch = ByteBuffer.allocate(200 * 1024);
            int[] next = {0};
            Runnable pump = () -> {
                while (next[0] < MESSAGES) {
                    Random r = new Random(1000L + next[0]);
                    if (p.sa.send(message(r, next[0], scratch)) == ReliableSession.REFUSED) {
                        return; // back-pressure: onWritable resumes
                    }
                    next[0]++;
                }
            };
            p.recA.onWritable = pump;
            p.loopA.execute(pump);
            assertThat(p.recB.messagesLatch.await(240, TimeUnit.SECONDS)).as("all messages arrived").isTrue();
            assertThat(p.recA.deliveredLatch.await(60, TimeUnit.SECONDS)).as("all reported delivered").isTrue();
            assertThat(p.recB.messages).hasSize(MESSAGES);
            for (int i = 0; i < MESSAGES; i++) {
                ByteBuffer m = ByteBuffer.wrap(p.recB.messages.get(i));
                assertThat(m.getInt(0)).as("message %d in order", i).isEqualTo(i);
                assertThat(m.remaining()).isEqualTo(sizeOf(new Random(1000L + i), i));
                CRC32 crc = new CRC32();
                crc.update(m.array(), 12, m.remaining() - 12);
                assertThat(m.getLong(4)).as("message %d intact", i).isEqualTo(crc.getValue());
            }
            assertThat(p.recA.failed).isEmpty();
            long retransmitted = PeerPair.on(p.loopA, () -> p.sa.reliable().counters().retransmitted());
            assertThat(retransmitted).as("loss was really recovered").isPositive();
        }
    }
}
