package parley.peer.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.reliable.ReliableConfig;
import parley.peer.net.Faults;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static parley.peer.file.ChannelNode.on;

/**
 * A file through the real encrypted channel with 10% of the datagrams lost in each direction
 * (nio-core's in-process fault injection, seeded), each peer on its own loop with its own
 * transfer thread, while chat messages cross the same session: the file arrives whole, every
 * chat message arrives, and the file bytes unsent ahead of each chat message stay within the
 * bulk gate's lead.
 */
class TransferOverChannelTest {
    static final int SIZE = 64 << 20;
    static final int CHATS = 40;
    /** Poked by both nodes' listeners on every chat and offer; the test waits on it. */
    private final Changes changes = new Changes();
    @TempDir
    Path tmp;

    /** A {@link ChannelNode} that also records the pacing rate and the bytes unsent when it chats. */
    final class Node extends ChannelNode {
        long maxUnsentAtChat;
        /** The highest pacing rate seen at a chat message or a gate admission, bytes per second: the gate's lead follows it. */
        long maxPacingRate;

        Node(String name, String peer, long sid, long seed) throws Exception {
            super(name, peer, sid, tmp, new Faults(seed, 0.10, 0, 0), TransferOverChannelTest.this.changes);
        }

        @Override
        public void onBulkRoom(long sessionId) {
            // The gate admits at the pacing rate of the moment (BulkGate#lead): sample it where it
            // admits too, not only at chat times, or a rate peak between chats escapes the bound.
            var cc = transport.congestion(sid);
            if (cc != null) {
                maxPacingRate = Math.max(maxPacingRate, cc.pacingRate());
            }
            super.onBulkRoom(sessionId);
        }

        void chat(String text) throws Exception {
            on(loop, () -> {
                maxUnsentAtChat = Math.max(maxUnsentAtChat, transport.unsentBytes(sid));
                maxPacingRate = Math.max(maxPacingRate, transport.congestion(sid).pacingRate());
                return transport.send(sid, ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            });
        }
    }

    @Test
    void sixtyFourMebibytesThroughTenPercentLossWhileChatFlows() throws Exception {
        Node alice = new Node("alice", "bob", 11, 1);
        Node bob = new Node("bob", "alice", 22, 2);
        try {
            ChannelNode.connect(alice, bob);
            Path src = TransferPair.randomFile(tmp.resolve("src"), "movie.mkv", SIZE, 9);
            on(alice.loop, () -> {
                alice.engine.send("bob", src, id -> { });
                return null;
            });
            assertThat(changes.await(() -> bob.offered.get() != 0, 60)).as("offer arrived").isTrue();
            on(bob.loop, () -> bob.engine.accept(bob.offered.get()));
            int sentChats = 0;
            for (int i = 0; i < CHATS && bob.done.getCount() > 0; i++) {
                alice.chat("chat " + i);
                bob.chat("back " + i);
                sentChats++;
                int sent = sentChats; // one round at a time, so the chats spread over the transfer
                changes.await(() -> (bob.chats.size() >= sent && alice.chats.size() >= sent)
                        || bob.done.getCount() == 0, 30);
            }
            assertThat(bob.done.await(240, TimeUnit.SECONDS)).as("file received").isTrue();
            assertThat(Files.mismatch(src, bob.received.get())).isEqualTo(-1);
            int sent = sentChats;
            changes.await(() -> bob.chats.size() >= sent && alice.chats.size() >= sent, 30);
            assertThat(sentChats).as("chat sent while the transfer ran").isPositive();
            assertThat(bob.chats).as("every chat message sent during the transfer arrived").hasSize(sentChats)
                    .allMatch(s -> s.startsWith("chat "));
            assertThat(alice.chats).hasSize(sentChats).allMatch(s -> s.startsWith("back "));
            // The bulk gate's lead (BulkGate.LEAD_NANOS, 8 ms) at the pacing rate, or 1 MiB (more than its
            // largest piece) when that is more: on a fast loop 8 ms of sending can exceed 1 MiB. The gate
            // admits a FILE_CHUNK while the bytes unsent are under the lead, so one may take them past it.
            long lead = Math.max(1 << 20, alice.maxPacingRate * 8_000_000L / 1_000_000_000L)
                    + FilePayload.CHUNK_FIXED + FilePayload.MAX_PIECE;
            assertThat(alice.maxUnsentAtChat).as("file bytes unsent ahead of a chat message").isLessThanOrEqualTo(lead);
            assertThat(on(bob.loop, () -> bob.engine.forged() + bob.engine.unexpected())).isZero();
            long retransmitted = on(alice.loop, () -> alice.transport.stats(11).retransmissions);
            // Path-MTU probing (PROTOCOL.md 9.8) takes loopback to datagrams of up to 65,507 bytes: at
            // least SIZE / 65,507 of them went, a tenth of them lost; half of that is a safe floor.
            assertThat(retransmitted).as("the loss was real").isGreaterThan(SIZE / ReliableConfig.MAX_UDP_PAYLOAD / 20);
            System.out.printf("64 MiB through 10%% loss: %d retransmissions, %d chats each way, max unsent ahead of chat %d bytes%n",
                    retransmitted, sentChats, alice.maxUnsentAtChat);
        } finally {
            alice.close();
            bob.close();
        }
    }
}
