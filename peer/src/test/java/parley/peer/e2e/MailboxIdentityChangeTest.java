package parley.peer.e2e;

import org.junit.jupiter.api.Test;
import parley.peer.core.PeerConfig;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sealed mail and a contact's new identity key (a reinstall, PROTOCOL.md 7.9 and 7.11): the sender
 * asks the registry for the current key before sealing, so the mail opens on the new device and the
 * change is reported; with --strict-identity the message is held (failed with the reason) instead
 * of being sealed to a key the user has not confirmed.
 */
class MailboxIdentityChangeTest extends PeerFixture {
    private TestPeer reinstallAmyAndLeave(TestPeer amy) throws Exception {
        amy.session.quit(10, TimeUnit.SECONDS);
        PeerConfig reinstalled = config("amy");
        reinstalled.dataDir = dir.resolve("amy-reinstalled");
        TestPeer amy2 = peer(reinstalled);
        amy2.logIn();
        amy2.await(e -> e.type().equals("info") && e.string("message").contains("replaces another device's"));
        amy2.session.quit(10, TimeUnit.SECONDS);
        return amy2;
    }

    @Test
    void mailToAContactWhoReinstalledIsSealedToTheNewKeyAndTheChangeIsReported() throws Exception {
        TestPeer amy = peer("amy").signUp();
        TestPeer bob = peer("bob").signUp();
        DeliveryTest.openChat(amy, bob);
        bob.mark();
        bob.cmd("/verify amy"); // amy's first key is pinned on bob's side before she reinstalls
        bob.await("verify");
        reinstallAmyAndLeave(amy);
        bob.mark();
        bob.cmd("/msg amy welcome back on your new laptop");
        Object id = bob.await("sending", "text", "welcome back on your new laptop").get("id");
        bob.await("identity_changed", "user", "amy");
        bob.await("queued", "id", id);

        PeerConfig reinstalled = config("amy");
        reinstalled.dataDir = dir.resolve("amy-reinstalled");
        TestPeer amy3 = peer(reinstalled).logIn();
        amy3.await("message", "text", "welcome back on your new laptop");
        bob.await("delivered", "id", id);
    }

    @Test
    void underStrictIdentityAMessageToAChangedKeyIsNotSealed() throws Exception {
        TestPeer amy = peer("amy").signUp();
        PeerConfig strict = config("bob");
        strict.strictIdentity = true;
        TestPeer bob = peer(strict).signUp();
        DeliveryTest.openChat(amy, bob);
        bob.mark();
        bob.cmd("/verify amy"); // amy's first key is pinned on bob's side before she reinstalls
        bob.await("verify");
        reinstallAmyAndLeave(amy);
        bob.mark();
        bob.cmd("/msg amy is that really you");
        Object id = bob.await("sending", "text", "is that really you").get("id");
        bob.await("identity_changed", "user", "amy");
        Seen failed = bob.await("failed", "id", id);
        assertThat(failed.string("reason")).startsWith("held: amy's identity changed");
        assertThat(bob.seen("queued")).isEmpty();
    }
}
