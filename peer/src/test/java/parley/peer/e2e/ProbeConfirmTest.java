package parley.peer.e2e;

import org.junit.jupiter.api.Test;
import parley.server.protocol.scram.ScramClient;
import parley.server.auth.ScramCredentials;
import parley.server.protocol.client.SyncRegistryClient;
import parley.server.protocol.Endpoints;
import parley.server.protocol.RegistryOpcodes;

import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19 item 9, peer part: the registry now discloses a probe's source address only after
 * the peer echoes its challenge from there. A real peer answers it, so a contact looking the peer
 * up sees its observed endpoint: the address its UDP socket's datagrams come from.
 */
class ProbeConfirmTest extends PeerFixture {
    @Test
    void aPeerAnswersTheRegistrysProbeChallengeAndItsObservedEndpointIsConfirmed() throws Exception {
        TestPeer amy = peer("amy").signUp();
        try (SyncRegistryClient bob = new SyncRegistryClient(registry.address())) {
            ScramCredentials k = ScramCredentials.derive("pw-bob", new byte[16], ScramCredentials.MIN_ITERATIONS);
            assertThat(bob.call(RegistryOpcodes.REGISTER, w -> w.string("bob").bytes(k.salt()).i32(k.iterations())
                    .bytes(k.storedKey()).bytes(k.serverKey())).ok()).isTrue();
            ScramClient scram = new ScramClient("bob", "pw-bob", ScramClient.newNonce(new SecureRandom()),
                    bob.channelBinding());
            String first = scram.clientFirst();
            SyncRegistryClient.Answer start = bob.call(RegistryOpcodes.LOGIN_START, w -> w.string(first));
            String clientFinal = scram.clientFinal(start.body().string(1024));
            assertThat(bob.call(RegistryOpcodes.LOGIN_FINISH, w -> w.string(clientFinal)).ok()).isTrue();
            assertThat(bob.call(RegistryOpcodes.CONTACT_REQUEST, w -> w.string("amy")).ok()).isTrue();
            amy.await("contact_request", "from", "bob");
            amy.cmd("/accept bob");
            amy.await("contact", "change", "accepted");

            String observed = "";
            int port = 0;
            // The peer probes at login and on every heartbeat; wait (bounded) for the confirmation.
            for (int i = 0; i < 100 && observed.isEmpty(); i++) {
                Endpoints e = Endpoints.decode(bob.call(RegistryOpcodes.LOOKUP_ENDPOINT, w -> w.string("amy")).body());
                observed = e.observedHost();
                port = e.observedPort();
                if (observed.isEmpty()) {
                    Thread.sleep(100);
                }
            }
            assertThat(observed).as("amy's observed host, confirmed by her answer to the challenge").isEqualTo("127.0.0.1");
            assertThat(port).isPositive();
        }
    }
}
