package parley.peer.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.peer.net.Faults;
import parley.peer.net.ReliableTransport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static parley.peer.file.ChannelNode.on;

/**
 * Issue 15, "chat messages keep flowing during a transfer": two peers on real loopback sockets,
 * a file moving between them, and the receiver's file intake stalled (its gate says no, as when
 * every piece buffer waits for the disk). The receiver's gates are wired as the peer wires them
 * ({@link ReliableTransport#intakeGates}): chat sent meanwhile arrives, in order, while the file
 * does not move; once the intake frees up, the file completes intact.
 */
class ChatDuringStalledTransferTest {
    static final int SIZE = 16 << 20;
    static final int CHATS = 20;
    /** Poked by both nodes' listeners on every chat and offer; the test waits on it. */
    private final Changes changes = new Changes();
    @TempDir
    Path tmp;

    void await(BooleanSupplier condition, long seconds, String what) throws InterruptedException {
        assertThat(changes.await(condition, seconds)).as(what).isTrue();
    }

    @Test
    void chatArrivesWhileTheReceiversFileIntakeIsStalled() throws Exception {
        ChannelNode alice = new ChannelNode("alice", "bob", 11, tmp, Faults.NONE, changes);
        ChannelNode bob = new ChannelNode("bob", "alice", 22, tmp, Faults.NONE, changes);
        try {
            ChannelNode.connect(alice, bob);
            Path src = TransferPair.randomFile(tmp.resolve("src"), "big.bin", SIZE, 5);
            on(alice.loop, () -> {
                alice.engine.send("bob", src, id -> { });
                return null;
            });
            await(() -> bob.offered.get() != 0, 60, "the offer arrived");
            bob.fileIntakeFull = true; // full before the first file byte: none is taken until it frees up
            on(bob.loop, () -> bob.engine.accept(bob.offered.get()));
            for (int i = 0; i < CHATS; i++) {
                byte[] text = ("during " + i).getBytes(StandardCharsets.UTF_8);
                on(alice.loop, () -> alice.transport.send(11, ByteBuffer.wrap(text)));
            }
            await(() -> bob.chats.size() == CHATS, 60, "every chat message arrived while the file intake was stalled");
            for (int i = 0; i < CHATS; i++) {
                assertThat(bob.chats.get(i)).isEqualTo("during " + i);
            }
            assertThat(bob.done.getCount()).as("the file did not move meanwhile").isOne();
            assertThat(bob.bytes.get()).isZero();

            bob.fileIntakeFull = false;
            on(bob.loop, () -> {
                bob.transport.resumeIntake();
                return null;
            });
            assertThat(bob.done.await(120, TimeUnit.SECONDS)).as("the file completes once the intake frees up").isTrue();
            assertThat(Files.mismatch(src, bob.received.get())).isEqualTo(-1);
            assertThat(on(bob.loop, () -> bob.engine.forged() + bob.engine.unexpected())).isZero();
        } finally {
            alice.close();
            bob.close();
        }
    }
}
