package parley.core.reliable;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class PeerChannelTest {
    static ReliableConfig config() {
        return new ReliableConfig();
    }

    @Test
    void messagesCrossBothWaysInOrderAndAreReportedDelivered() throws Exception {
        try (PeerPair p = new PeerPair(config(), null, null)) {
            int n = 1000;
            p.recB.expectMessages(n);
            p.recA.expectDelivered(n);
            p.recA.expectMessages(1);
            PeerPair.on(p.loopA, () -> {
                for (int i = 0; i < n; i++) {
                    p.sa.send(ByteBuffer.wrap(("m" + i).getBytes(StandardCharsets.UTF_8)));
                }
                return null;
            });
            PeerPair.on(p.loopB, () -> p.sb.send(ByteBuffer.wrap("back".getBytes(StandardCharsets.UTF_8))));
            assertThat(p.recB.messagesLatch.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.recA.deliveredLatch.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.recA.messagesLatch.await(30, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < n; i++) {
                assertThat(new String(p.recB.messages.get(i), StandardCharsets.UTF_8)).isEqualTo("m" + i);
            }
            assertThat(p.recA.delivered).hasSize(n);
            assertThat(new String(p.recA.messages.get(0), StandardCharsets.UTF_8)).isEqualTo("back");
            assertThat(p.sa.fingerprint()).isEqualTo(p.sb.fingerprint());
        }
    }
}
