package parley.peer.core;

import org.junit.jupiter.api.Test;
import parley.core.reliable.SessionPath;
import parley.server.protocol.Candidate;
import parley.server.protocol.Endpoints;
import parley.server.protocol.PathFlags;
import parley.server.protocol.RelayGrant;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 12: relay grants, endpoints and candidates become a session's path plan; local candidates. */
class ReachabilityTest {
    static final InetSocketAddress REGISTRY_UDP = new InetSocketAddress("192.0.2.10", 7400);

    static Candidate candidate(String ip, int port) throws Exception {
        return new Candidate(InetAddress.getByName(ip).getAddress(), port);
    }

    @Test
    void aGrantWithAnEmptyHostIsTheRegistrysUdpAddressAndItsTokenIsBigEndian() {
        Reachability r = new Reachability(false, REGISTRY_UDP);
        SessionPath p = r.relay(new RelayGrant(0x0102030405060708L, 0x090A0B0C0D0E0F10L, "", 0));
        assertThat(p.relayed()).isTrue();
        assertThat(p.address()).isEqualTo(REGISTRY_UDP);
        assertThat(r.relay(new RelayGrant(1, 2, "198.51.100.7", 3478)).address())
                .isEqualTo(new InetSocketAddress("198.51.100.7", 3478));
        assertThat(r.relay(new RelayGrant(1, 2, "relay.example", 3478))).isNull(); // never resolved on the loop
        assertThat(r.relay(null)).isNull();
    }

    @Test
    void punchTargetsAreTheCandidatesThenObservedThenAnnouncedOnceEach() throws Exception {
        Reachability r = new Reachability(false, REGISTRY_UDP);
        List<InetSocketAddress> t = r.targets(new Endpoints("10.0.0.7", 5000, "203.0.113.9", 6000),
                List.of(candidate("10.0.0.7", 5000), candidate("fd00::7", 5000)));
        assertThat(t).containsExactly(new InetSocketAddress("10.0.0.7", 5000), new InetSocketAddress("fd00::7", 5000),
                new InetSocketAddress("203.0.113.9", 6000));
        assertThat(r.plan(null, null, List.of())).isNull(); // no grant: direct as before
        assertThat(r.pathFlags()).isZero();
    }

    @Test
    void noDirectSendsNoCandidatesAndPunchesNowhere() throws Exception {
        Reachability r = new Reachability(true, REGISTRY_UDP);
        r.localCandidates(List.of(candidate("10.0.0.5", 4000)));
        assertThat(r.localCandidates()).isEmpty();
        assertThat(r.pathFlags()).isEqualTo(PathFlags.NO_DIRECT);
        assertThat(r.targets(new Endpoints("10.0.0.7", 5000, "203.0.113.9", 6000), List.of(candidate("10.0.0.7", 5000)))).isEmpty();
    }

    @Test
    void localCandidatesLeaveOutLoopbackAndLinkLocalAndCarryTheSocketsPort() throws Exception {
        assertThat(LocalCandidates.gather(new InetSocketAddress("127.0.0.1", 4000))).isEmpty();
        assertThat(LocalCandidates.gather(new InetSocketAddress("10.1.2.3", 4000))).containsExactly(candidate("10.1.2.3", 4000));
        List<Candidate> all = LocalCandidates.gather(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 4000));
        assertThat(all.size()).isLessThanOrEqualTo(8);
        assertThat(all).allSatisfy(c -> {
            assertThat(c.port()).isEqualTo(4000);
            assertThat(c.inetAddress().isLoopbackAddress() || c.inetAddress().isLinkLocalAddress()).isFalse();
        });
    }
}
