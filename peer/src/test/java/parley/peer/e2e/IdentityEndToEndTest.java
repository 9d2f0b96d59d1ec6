package parley.peer.e2e;

import org.junit.jupiter.api.Test;
import parley.core.wire.BodyWriter;
import parley.peer.core.PeerConfig;
import parley.server.auth.ScramCredentials;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.client.SyncRegistryClient;
import parley.server.protocol.client.TestTls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Identity keys end to end (PROTOCOL.md 7.9) with real peers and a real registry: the safety
 * number is the same on both sides and survives sessions and restarts, a reinstall (a new data
 * directory for the same account) is an {@code identity_changed} that drops the verified mark,
 * and an account made before identities gets its key at its next login.
 */
class IdentityEndToEndTest extends PeerFixture {
    private static final String SAFETY = "\\d{5}( \\d{5}){11}";

    private static String safety(TestPeer p, String user) {
        p.mark();
        p.cmd("/verify " + user);
        return p.await("verify", "user", user).string("safety_number");
    }

    @Test
    void theSafetyNumberIsTheSameOnBothSidesAndStableAcrossRestarts() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        DeliveryTest.openChat(amy, bob);
        String seenByAmy = safety(amy, "bob");
        assertThat(seenByAmy).matches(SAFETY);
        assertThat(safety(bob, "amy")).isEqualTo(seenByAmy);
        amy.mark();
        amy.cmd("/verify bob confirm");
        assertThat(amy.await("verify").get("verified")).isEqualTo(true);
        Path key = dir.resolve("amy").resolve("amy").resolve("identity.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");

        amy.session.quit(10, TimeUnit.SECONDS);
        TestPeer again = peer("amy").logIn();
        again.mark();
        again.cmd("/verify bob");
        Seen v = again.await("verify");
        assertThat(v.string("safety_number")).isEqualTo(seenByAmy);
        assertThat(v.get("verified")).as("stored").isEqualTo(true);
        again.cmd("/contacts");
        assertThat(again.await("contacts").get("verified")).isEqualTo(List.of("bob"));
        // A new session after the restart authenticates with the same keys: messages flow.
        again.cmd("/msg bob back again");
        bob.await("message", "text", "back again"); // a contact's session opens without a prompt (7.8)
        assertThat(again.seen("identity_changed")).isEmpty();
        assertThat(safety(bob, "amy")).isEqualTo(seenByAmy);
    }

    @Test
    void aReinstallIsAnIdentityChangeTheContactSeesAndTheVerifiedMarkIsDropped() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        DeliveryTest.openChat(amy, bob);
        bob.mark();
        bob.cmd("/verify amy confirm");
        assertThat(bob.await("verify").get("verified")).isEqualTo(true);
        String before = safety(bob, "amy");
        amy.session.quit(10, TimeUnit.SECONDS);

        PeerConfig reinstalled = config("amy");
        reinstalled.dataDir = dir.resolve("amy-reinstalled");
        TestPeer amy2 = peer(reinstalled);
        amy2.mark();
        amy2.logIn();
        amy2.await(e -> e.type().equals("info") && e.string("message").contains("replaces another device's"));
        bob.mark();
        amy2.cmd("/msg bob it is me, new laptop");
        Seen changed = bob.await("identity_changed", "user", "amy");
        assertThat(changed.string("old")).matches("[0-9A-F]{4}( [0-9A-F]{4}){3}");
        assertThat(changed.string("new")).matches("[0-9A-F]{4}( [0-9A-F]{4}){3}").isNotEqualTo(changed.string("old"));
        bob.await("message", "text", "it is me, new laptop");
        bob.mark();
        bob.cmd("/verify amy");
        Seen v = bob.await("verify");
        assertThat(v.get("verified")).isEqualTo(false);
        assertThat(v.string("safety_number")).isNotEqualTo(before);
        assertThat(bob.outputLines()).anySatisfy(l -> assertThat(l).contains("identity_changed"));
    }

    @Test
    void anAccountMadeBeforeIdentitiesGetsItsKeyAtItsNextLogin() throws Exception {
        // Registered the way a client made before this change does: no identity flag at all.
        ScramCredentials k = ScramCredentials.derive("pw-old", new byte[16], ScramCredentials.MIN_ITERATIONS);
        try (SyncRegistryClient c = new SyncRegistryClient(registry.address(), TestTls.clientPinned(TestTls.fingerprint()))) {
            SyncRegistryClient.Answer a = c.call(RegistryOpcodes.REGISTER, (BodyWriter w) -> w.string("old").bytes(k.salt())
                    .i32(k.iterations()).bytes(k.storedKey()).bytes(k.serverKey()));
            assertThat(a.ok()).as("%s", a).isTrue();
        }
        TestPeer amy = peer("amy").signUp();
        TestPeer old = peer("old");
        old.mark();
        old.logIn();
        Seen info = old.await(e -> e.type().equals("info") && e.string("message").contains("identity key"));
        assertThat(info.string("message")).doesNotContain("replaces");
        DeliveryTest.befriend(amy, old);
        // The registry now hands the new key to contacts: amy can compute the safety number.
        assertThat(safety(amy, "old")).matches(SAFETY);
        assertThat(safety(old, "amy")).isEqualTo(safety(amy, "old"));
    }
}
