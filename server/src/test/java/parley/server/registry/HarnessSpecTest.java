package parley.server.registry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import parley.core.wire.ErrorCode;
import parley.core.wire.Flags;
import parley.server.protocol.AnnounceEndpoint;
import parley.server.protocol.Endpoints;
import parley.server.protocol.NameBody;
import parley.server.protocol.RegistryOpcodes;

import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** Spec rules pinned on the in-memory harness: header flags a peer may not send, and which announced endpoints are disclosed. */
class HarnessSpecTest {
    private final Harness h = new Harness();

    @AfterEach
    void close() {
        h.close();
    }

    /** PROTOCOL.md section 6, step 4: a request carrying RESPONSE or PUSH is BAD_STATE, before the stage check. */
    @Test
    void aRequestFlaggedAsAnswerOrPushIsBadState() {
        HarnessClient amy = h.user("amy");
        assertThat(amy.call(RegistryOpcodes.WHO, Flags.PUSH, w -> { }).error()).isEqualTo(ErrorCode.BAD_STATE);
        assertThat(amy.call(RegistryOpcodes.WHO, Flags.RESPONSE, w -> { }).error()).isEqualTo(ErrorCode.BAD_STATE);
        assertThat(amy.call(RegistryOpcodes.WHO).ok()).as("the session carries on").isTrue();
        HarnessClient stranger = h.connect();
        assertThat(stranger.call(RegistryOpcodes.WHO, Flags.PUSH, w -> { }).error()).isEqualTo(ErrorCode.BAD_STATE);
    }

    /**
     * Issue 19 item 9, PROTOCOL.md 7.2: an announced endpoint on the internet is only a claim, so it
     * is passed on only once a confirmed probe came from that host; one that reaches no farther
     * than a LAN is passed on as it is.
     */
    @Test
    void anAnnouncedInternetAddressIsDisclosedOnlyWhenTheObservedOneConfirmsIt() {
        HarnessClient amy = h.user("amy");
        HarnessClient bob = h.user("bob");
        assertThat(amy.call(RegistryOpcodes.CONTACT_REQUEST, new NameBody("bob")::encode).ok()).isTrue();
        assertThat(bob.call(RegistryOpcodes.CONTACT_ACCEPT, new NameBody("amy")::encode).ok()).isTrue();

        announce(amy, "198.51.100.7", 4000); // a victim's address, say
        Endpoints seen = lookup(bob, "amy");
        assertThat(seen.announcedHost()).isEmpty();
        assertThat(seen.announcedPort()).isZero();

        amy.session.observed = new InetSocketAddress("198.51.100.7", 4100); // as a PROBE_CONFIRM sets it
        amy.session.observedHost = "198.51.100.7";
        seen = lookup(bob, "amy");
        assertThat(seen.announcedHost()).isEqualTo("198.51.100.7");
        assertThat(seen.announcedPort()).isEqualTo(4000);

        for (String lan : new String[] {"192.168.1.20", "10.1.2.3", "172.16.0.9", "100.64.0.1", "127.0.0.1", "fd00::5", "fe80::1"}) {
            amy.session.observed = null;
            amy.session.observedHost = null;
            announce(amy, lan, 4000);
            assertThat(lookup(bob, "amy").announcedHost()).as(lan).isEqualTo(lan);
        }
    }

    private static void announce(HarnessClient c, String host, int port) {
        assertThat(c.call(RegistryOpcodes.ANNOUNCE_ENDPOINT, new AnnounceEndpoint(host, port)::encode).ok()).isTrue();
    }

    private static Endpoints lookup(HarnessClient c, String name) {
        HarnessClient.Answer a = c.call(RegistryOpcodes.LOOKUP_ENDPOINT, new NameBody(name)::encode);
        assertThat(a.ok()).as(a.toString()).isTrue();
        return Endpoints.decode(a.body());
    }
}
