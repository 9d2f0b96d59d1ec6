package parley.core.reliable;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PeerSession#sendBulk} over real loopback sockets: the bulk gate admits only a short lead
 * of unsent file data (far below the 4 MiB send buffer a plain send would fill), what it admits
 * leaves in the same loop turn, and a chat message sent next is delivered too: on stream 0, it
 * need not wait for the bulk data on stream 1 (PROTOCOL.md 9.9).
 */
class PeerSessionBulkTest {
    @Test
    void bulkIsAdmittedOnlyWithinTheGateAndStillFlows() throws Exception {
        try (PeerPair p = new PeerPair(new ReliableConfig(), null, null)) {
            ByteBuffer piece = ByteBuffer.allocate(16_384);
            int admitted = PeerPair.on(p.loopA, () -> {
                int n = 0;
                while (p.sa.sendBulk(piece.clear()) != ReliableSession.REFUSED) {
                    n++;
                }
                return n;
            });
            assertThat(admitted).isPositive().isLessThan(4 * 1024 * 1024 / 16_384);
            PeerPair.on(p.loopA, () -> p.sa.send(ByteBuffer.wrap(new byte[]{1})));
            // On b's loop, where messages arrive, so none slips between the count and the latch.
            PeerPair.on(p.loopB, () -> {
                p.recB.expectMessages(admitted + 1 - p.recB.messages.size());
                return null;
            });
            assertThat(p.recB.messagesLatch.await(30, TimeUnit.SECONDS)).as("every message arrived").isTrue();
            assertThat(p.recB.messages).hasSize(admitted + 1);
            assertThat(p.recB.messages).filteredOn(m -> m.length == 1).hasSize(1);
        }
    }
}
