package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.wire.Header;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.UdpProbe;
import parley.server.protocol.client.SyncRegistryClient;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18, UDP: a probe proves the login's probe key with an HMAC over a counter instead of
 * carrying the session token. A captured UDP_PROBE is worth nothing: replayed from the same address
 * or from another it gets no answer, and neither does a probe with a wrong MAC. The session's own
 * next probe is still answered. Real UDP sockets; a TCP round trip after the datagrams guarantees
 * the loop has handled them before the test looks for answers (no waiting for silence).
 */
class ProbeReplayTest {
    @TempDir
    Path dir;

    private static DatagramChannel socket(Selector sel) throws Exception {
        DatagramChannel ch = DatagramChannel.open();
        ch.bind(new InetSocketAddress("127.0.0.1", 0));
        ch.configureBlocking(false);
        ch.register(sel, SelectionKey.OP_READ);
        return ch;
    }

    /** Datagrams waiting on any socket of {@code sel}, after a TCP round trip has flushed the loop. */
    private static int answers(SyncRegistryClient c, Selector sel) throws Exception {
        Users.who(c);
        int n = 0;
        while (sel.selectNow() > 0) {
            for (SelectionKey k : sel.selectedKeys()) {
                while (((DatagramChannel) k.channel()).receive(ByteBuffer.allocate(200)) != null) {
                    n++;
                }
            }
            sel.selectedKeys().clear();
        }
        return n;
    }

    @Test
    void aCapturedProbeReplayedFromTheSameOrAnotherAddressIsRefused() throws Exception {
        try (ServerFixture fx = new ServerFixture(dir); Selector sel = Selector.open(); DatagramChannel home = socket(sel);
             Selector other = Selector.open(); DatagramChannel attacker = socket(other)) {
            SyncRegistryClient amy = fx.user("amy");
            ProbeSender keys = Users.lastToken(amy);
            InetSocketAddress registry = fx.server.udpAddress();
            home.send(keys.probe(), registry);
            ByteBuffer challenge = Users.receive(home, sel);
            home.send(keys.confirm(challenge.getLong(Header.LENGTH), challenge.getLong(Header.LENGTH + 8)), registry);
            assertThat(new Header().wrap(Users.receive(home, sel), 0).opcode()).isEqualTo(RegistryOpcodes.PROBE_CONFIRM);

            ByteBuffer captured = keys.probe();
            home.send(captured.duplicate(), registry);
            assertThat(new Header().wrap(Users.receive(home, sel), 0).opcode()).as("the genuine probe")
                    .isEqualTo(RegistryOpcodes.UDP_PROBE);

            home.send(captured.duplicate(), registry);
            attacker.send(captured.duplicate(), registry);
            assertThat(answers(amy, sel)).as("answers to the replay from the same address").isZero();
            assertThat(answers(amy, other)).as("answers (even a challenge) to the replay from another address").isZero();

            home.send(keys.probe(), registry);
            assertThat(new Header().wrap(Users.receive(home, sel), 0).opcode()).as("the next genuine probe")
                    .isEqualTo(RegistryOpcodes.UDP_PROBE);
        }
    }

    @Test
    void aProbeWithAWrongMacOrKeyIsRefused() throws Exception {
        try (ServerFixture fx = new ServerFixture(dir); Selector sel = Selector.open(); DatagramChannel ch = socket(sel)) {
            SyncRegistryClient amy = fx.user("amy");
            ProbeSender keys = Users.lastToken(amy);
            InetSocketAddress registry = fx.server.udpAddress();
            ByteBuffer flipped = keys.probe();
            int last = Header.LENGTH + UdpProbe.BODY_BYTES - 1;
            flipped.put(last, (byte) (flipped.get(last) ^ 1));
            ch.send(flipped, registry);
            byte[] wrongKey = keys.key.clone();
            wrongKey[0] ^= 1;
            ch.send(new ProbeSender(keys.probeId, wrongKey).probe(1_000), registry);
            ByteBuffer raisedCounter = keys.probe(2_000);
            raisedCounter.putLong(Header.LENGTH + 8, 3_000); // the counter changed after the MAC was made
            ch.send(raisedCounter, registry);
            assertThat(answers(amy, sel)).as("answers to probes with a bad MAC").isZero();

            ch.send(keys.probe(), registry);
            assertThat(new Header().wrap(Users.receive(ch, sel), 0).opcode()).as("a good probe is still challenged")
                    .isEqualTo(RegistryOpcodes.PROBE_CHALLENGE);
        }
    }
}
