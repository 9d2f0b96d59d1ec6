package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.wire.BodyReader;
import parley.core.wire.Header;
import parley.server.protocol.client.SyncRegistryClient;
import parley.server.protocol.RegistryOpcodes;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19 item 9, registry part, over real UDP sockets: a probe with a valid token from a forged
 * (here: unanswering) source no longer moves the user's endpoint, and probes are rate-limited per
 * token so the registry cannot be used to spray a victim.
 */
class ProbeChallengeTest {
    @TempDir
    Path dir;

    /** The observed host:port in amy's endpoint as bob looks it up ("" and 0 when none). */
    private static String observedOf(SyncRegistryClient viewer, String name) throws Exception {
        SyncRegistryClient.Answer a = Users.named(viewer, RegistryOpcodes.LOOKUP_ENDPOINT, name);
        assertThat(a.ok()).as("lookup: %s", a).isTrue();
        BodyReader r = a.body();
        r.string(64);
        r.u16();
        return r.string(64) + ":" + r.u16();
    }

    private static DatagramChannel socket(Selector sel) throws Exception {
        DatagramChannel ch = DatagramChannel.open();
        ch.bind(new InetSocketAddress("127.0.0.1", 0));
        ch.configureBlocking(false);
        ch.register(sel, SelectionKey.OP_READ);
        return ch;
    }

    @Test
    void aProbeFromAnAddressThatNeverAnswersTheChallengeDoesNotBecomeTheEndpoint() throws Exception {
        try (ServerFixture fx = new ServerFixture(dir); Selector sel = Selector.open(); DatagramChannel victim = socket(sel)) {
            SyncRegistryClient amy = fx.user("amy");
            ProbeSender token = Users.lastToken(amy);
            SyncRegistryClient bob = fx.user("bob");
            Users.makeContacts(amy, "amy", bob, "bob");
            // A datagram with amy's token and the victim's source address: the victim does not
            // take part, so the challenge it receives goes unanswered.
            victim.send(Users.probeDatagram(token), fx.server.udpAddress());
            ByteBuffer got = Users.receive(victim, sel);
            int victimPort = ((InetSocketAddress) victim.getLocalAddress()).getPort();
            assertThat(observedOf(bob, "amy")).as("amy's endpoint was not moved to the victim")
                    .doesNotEndWith(":" + victimPort).isEqualTo(":0");
            Header h = new Header().wrap(got, 0);
            assertThat(h.opcode()).as("the victim gets a challenge, not an address").isEqualTo(RegistryOpcodes.PROBE_CHALLENGE);
            assertThat(got.remaining()).isEqualTo(Header.LENGTH + 16);
            // amy's own socket answers its challenge and becomes the endpoint; the victim's
            // challenge is void from then on.
            int realPort = Users.probe(fx.server.udpAddress(), token);
            assertThat(observedOf(bob, "amy")).isEqualTo("127.0.0.1:" + realPort);
        }
    }

    @Test
    void aConfirmationFromAnotherAddressOrWithAWrongChallengeIsIgnored() throws Exception {
        try (ServerFixture fx = new ServerFixture(dir); Selector sel = Selector.open();
             DatagramChannel forged = socket(sel); Selector other = Selector.open(); DatagramChannel attacker = socket(other)) {
            SyncRegistryClient amy = fx.user("amy");
            ProbeSender token = Users.lastToken(amy);
            SyncRegistryClient bob = fx.user("bob");
            Users.makeContacts(amy, "amy", bob, "bob");
            forged.send(Users.probeDatagram(token), fx.server.udpAddress());
            ByteBuffer challenge = Users.receive(forged, sel);
            long hi = challenge.getLong(Header.LENGTH);
            long lo = challenge.getLong(Header.LENGTH + 8);
            attacker.send(Users.confirm(token, hi, lo), fx.server.udpAddress()); // right bytes, wrong address
            forged.send(Users.confirm(token, hi, lo + 1), fx.server.udpAddress()); // right address, wrong bytes
            assertThat(observedOf(bob, "amy")).isEqualTo(":0");
        }
    }

    @Test
    void probesArelimitedPerToken() throws Exception {
        try (ServerFixture fx = new ServerFixture(dir); Selector sel = Selector.open()) {
            SyncRegistryClient amy = fx.user("amy");
            ProbeSender token = Users.lastToken(amy);
            List<DatagramChannel> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 40; i++) {
                    DatagramChannel ch = socket(sel);
                    sockets.add(ch);
                    ch.send(Users.probeDatagram(token), fx.server.udpAddress());
                }
                // A round trip over TCP after the datagrams: the loop has handled every one of them
                // (they were queued before the TCP request was even sent) and sent its answers.
                Users.who(amy);
                int answered = 0;
                while (sel.selectNow() > 0) {
                    for (SelectionKey k : sel.selectedKeys()) {
                        ByteBuffer in = ByteBuffer.allocate(200);
                        if (((DatagramChannel) k.channel()).receive(in) != null) {
                            answered++;
                        }
                    }
                    sel.selectedKeys().clear();
                }
                assertThat(answered).as("answers to 40 probes with one token at once").isPositive().isLessThanOrEqualTo(6);
            } finally {
                for (DatagramChannel ch : sockets) {
                    ch.close();
                }
            }
        }
    }
}
