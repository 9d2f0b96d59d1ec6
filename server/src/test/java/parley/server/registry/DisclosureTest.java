package parley.server.registry;

import org.junit.jupiter.api.Test;
import parley.server.protocol.Candidate;
import parley.server.protocol.PathFlags;
import parley.server.protocol.PeerAnswer;
import parley.server.protocol.PeerConnect;
import parley.server.protocol.PeerIntroduction;
import parley.server.protocol.RegistryOpcodes;
import parley.server.registry.HarnessClient.Frame;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one peer learns of another's addresses at introduction (PROTOCOL.md 7.8): candidates pass
 * the 7.2 rule (LAN scope, or the confirmed observed host) and the rest are dropped; NO_DIRECT
 * discloses nothing but the flag. Both directions: PEER_INVITE and PEER_READY.
 */
class DisclosureTest {
    static final Candidate LAN = new Candidate(new byte[] {(byte) 192, (byte) 168, 1, 20}, 5000);
    static final Candidate ULA = new Candidate(new byte[] {(byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 5000);
    static final Candidate OBSERVED_HOST = new Candidate(new byte[] {(byte) 203, 0, 113, 9}, 5001);
    static final Candidate THIRD_PARTY = new Candidate(new byte[] {(byte) 198, 51, 100, 7}, 5000);
    static final Candidate MULTICAST = new Candidate(new byte[] {(byte) 224, 0, 0, 1}, 5000);

    private static Frame only(HarnessClient c, int opcode) {
        return HarnessVisibilityMatrixTest.onlyPush(c, opcode);
    }

    private static HarnessClient reachable(Harness h, String name) {
        HarnessClient c = h.user(name);
        assertThat(c.call(RegistryOpcodes.ANNOUNCE_ENDPOINT, new parley.server.protocol.AnnounceEndpoint("10.0.0.1", 4000)::encode).ok())
                .isTrue();
        // As if a PROBE_CHALLENGE round had confirmed this source (ProbeChallengeTest covers that round).
        c.session.observed = new InetSocketAddress("203.0.113.9", 4444);
        c.session.observedHost = "203.0.113.9";
        return c;
    }

    @Test
    void candidatesPassOnlyIfLanScopedOrTheConfirmedObservedHostBothWays() {
        try (Harness h = new Harness()) {
            HarnessClient amy = reachable(h, "amy");
            HarnessClient bob = reachable(h, "bob");
            HarnessVisibilityMatrixTest.makeContacts(amy, "amy", bob, "bob");
            List<Candidate> offered = List.of(LAN, THIRD_PARTY, ULA, OBSERVED_HOST, MULTICAST);
            assertThat(amy.call(RegistryOpcodes.PEER_CONNECT, new PeerConnect("bob", 1L, new byte[32], 0, offered)::encode).ok()).isTrue();
            PeerIntroduction invite = PeerIntroduction.decodeInvite(only(bob, RegistryOpcodes.PEER_INVITE).reader());
            assertThat(invite.candidates()).containsExactly(LAN, ULA, OBSERVED_HOST);
            assertThat(invite.pathFlags()).isZero();
            assertThat(bob.call(RegistryOpcodes.PEER_ANSWER,
                    new PeerAnswer(invite.inviteId(), PeerAnswer.ACCEPT, 2L, new byte[32], 0, offered)::encode).ok()).isTrue();
            PeerIntroduction ready = PeerIntroduction.decodeReady(only(amy, RegistryOpcodes.PEER_READY).reader());
            assertThat(ready.candidates()).containsExactly(LAN, ULA, OBSERVED_HOST);
            assertThat(ready.endpoints().observedHost()).isEqualTo("203.0.113.9");
        }
    }

    @Test
    void noDirectDisclosesNeitherEndpointsNorCandidatesButStillGetsTheRelay() {
        try (Harness h = new Harness()) {
            HarnessClient amy = reachable(h, "amy");
            HarnessClient bob = reachable(h, "bob");
            HarnessVisibilityMatrixTest.makeContacts(amy, "amy", bob, "bob");
            assertThat(amy.call(RegistryOpcodes.PEER_CONNECT,
                    new PeerConnect("bob", 1L, new byte[32], PathFlags.NO_DIRECT, List.of(LAN))::encode).ok()).isTrue();
            PeerIntroduction invite = PeerIntroduction.decodeInvite(only(bob, RegistryOpcodes.PEER_INVITE).reader());
            assertThat(invite.pathFlags()).isEqualTo(PathFlags.NO_DIRECT);
            assertThat(invite.candidates()).isEmpty();
            assertThat(invite.endpoints()).isEqualTo(new parley.server.protocol.Endpoints("", 0, "", 0));
            assertThat(bob.call(RegistryOpcodes.PEER_ANSWER,
                    new PeerAnswer(invite.inviteId(), PeerAnswer.ACCEPT, 2L, new byte[32], PathFlags.NO_DIRECT, List.of(LAN))::encode)
                    .ok()).isTrue();
            PeerIntroduction ready = PeerIntroduction.decodeReady(only(amy, RegistryOpcodes.PEER_READY).reader());
            assertThat(ready.pathFlags()).isEqualTo(PathFlags.NO_DIRECT);
            assertThat(ready.candidates()).isEmpty();
            assertThat(ready.endpoints().announcedHost()).isEmpty();
            assertThat(ready.endpoints().observedHost()).isEmpty();
            assertThat(ready.relay()).as("the relay is how a NO_DIRECT pair talks").isNotNull();
        }
    }

    @Test
    void badPathFieldsAreMalformedBodies() {
        try (Harness h = new Harness()) {
            HarnessClient amy = reachable(h, "amy");
            HarnessClient bob = reachable(h, "bob");
            HarnessVisibilityMatrixTest.makeContacts(amy, "amy", bob, "bob");
            int malformed = parley.core.wire.ErrorCode.MALFORMED_BODY;
            // an unknown flag bit
            assertThat(amy.call(RegistryOpcodes.PEER_CONNECT, w -> w.string("bob").i64(1).fixed(new byte[32]).u8(2).u8(0)).error())
                    .isEqualTo(malformed);
            // a family that is neither 4 nor 6
            assertThat(amy.call(RegistryOpcodes.PEER_CONNECT,
                    w -> w.string("bob").i64(1).fixed(new byte[32]).u8(0).u8(1).u8(5).fixed(new byte[4]).u16(1)).error())
                    .isEqualTo(malformed);
            // port 0
            assertThat(amy.call(RegistryOpcodes.PEER_CONNECT,
                    w -> w.string("bob").i64(1).fixed(new byte[32]).u8(0).u8(1).u8(4).fixed(new byte[4]).u16(0)).error())
                    .isEqualTo(malformed);
            // nine candidates
            assertThat(amy.call(RegistryOpcodes.PEER_CONNECT, w -> {
                w.string("bob").i64(1).fixed(new byte[32]).u8(0).u8(9);
                for (int i = 0; i < 9; i++) {
                    w.u8(4).fixed(new byte[] {10, 0, 0, (byte) i}).u16(1000);
                }
            }).error()).isEqualTo(malformed);
            // the old layout, without flags and list
            assertThat(amy.call(RegistryOpcodes.PEER_CONNECT, w -> w.string("bob").i64(1).fixed(new byte[32])).error())
                    .isEqualTo(malformed);
            assertThat(bob.pushes).extracting(Frame::opcode).doesNotContain(RegistryOpcodes.PEER_INVITE);
        }
    }
}
