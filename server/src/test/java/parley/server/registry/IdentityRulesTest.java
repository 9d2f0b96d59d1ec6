package parley.server.registry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import parley.server.auth.ScramCredentials;
import parley.server.protocol.AnnounceEndpoint;
import parley.server.protocol.Ed25519;
import parley.server.protocol.IdentityBundle;
import parley.server.protocol.LoginFinishReply;
import parley.server.protocol.NameBody;
import parley.server.protocol.PeerConnect;
import parley.server.protocol.PeerIntroduction;
import parley.server.protocol.RegisterRequest;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.ScramText;
import parley.server.protocol.scram.ScramClient;
import parley.server.registry.HarnessClient.Answer;
import parley.server.registry.HarnessClient.Frame;

import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Identity bundles in the registry (PROTOCOL.md section 7.9): a bad signature is BAD_IDENTITY
 * wherever a bundle is given, a good one is stored and handed back at login and in
 * introductions, and IDENTITY_LOOKUP answers contacts only, with one indistinguishable answer
 * for absent, blocked-you and non-contact names.
 */
class IdentityRulesTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Harness h = new Harness();

    @AfterEach
    void close() {
        h.close();
    }

    static IdentityBundle bundle() {
        Ed25519.RawPair ed = Ed25519.generate(RANDOM);
        byte[] x = new byte[32];
        RANDOM.nextBytes(x);
        return IdentityBundle.sign(ed.seed(), ed.publicKey(), x);
    }

    static IdentityBundle forged() {
        IdentityBundle good = bundle();
        byte[] x = good.agreementKey().clone();
        x[0] ^= 1; // the signature no longer covers the agreement key
        return new IdentityBundle(good.signingKey(), x, good.signature());
    }

    private static Answer register(HarnessClient c, String name, IdentityBundle b) {
        ScramCredentials k = ScramCredentials.derive("pw-" + name, new byte[16], 4096);
        return c.call(RegistryOpcodes.REGISTER, new RegisterRequest(name, k.salt(), k.iterations(), k.storedKey(),
                k.serverKey(), b)::encode);
    }

    /** Logs in with password "pw-" + name and answers the LOGIN_FINISH reply. */
    private static LoginFinishReply login(HarnessClient c, String name) throws Exception {
        ScramClient scram = new ScramClient(name, "pw-" + name, ScramClient.newNonce(RANDOM));
        Answer start = c.call(RegistryOpcodes.LOGIN_START, new ScramText(scram.clientFirst())::encode);
        String clientFinal = scram.clientFinal(ScramText.decode(start.body()).text());
        Answer finish = c.call(RegistryOpcodes.LOGIN_FINISH, new ScramText(clientFinal)::encode);
        assertThat(finish.ok()).as("%s", finish).isTrue();
        return LoginFinishReply.decode(finish.body());
    }

    private HarnessClient user(String name, IdentityBundle b) throws Exception {
        HarnessClient c = h.connect();
        assertThat(register(c, name, b).ok()).isTrue();
        login(c, name);
        return c;
    }

    private static void befriend(HarnessClient a, String aName, HarnessClient b, String bName) {
        assertThat(a.call(RegistryOpcodes.CONTACT_REQUEST, new NameBody(bName)::encode).ok()).isTrue();
        assertThat(b.call(RegistryOpcodes.CONTACT_ACCEPT, new NameBody(aName)::encode).ok()).isTrue();
    }

    private static Answer lookup(HarnessClient c, String name) {
        return c.call(RegistryOpcodes.IDENTITY_LOOKUP, new NameBody(name)::encode);
    }

    @Test
    void aRegisteredBundleIsStoredAndHandedBackAtLogin() throws Exception {
        IdentityBundle b = bundle();
        HarnessClient c = h.connect();
        assertThat(register(c, "amy", b).ok()).isTrue();
        assertThat(login(c, "amy").identity()).isEqualTo(b);
    }

    @Test
    void aForgedBundleIsRefusedAtRegisterAndTheNameStaysFree() {
        HarnessClient c = h.connect();
        Answer a = register(c, "amy", forged());
        assertThat(a.error()).isEqualTo(RegistryErrors.BAD_IDENTITY);
        assertThat(register(c, "amy", bundle()).ok()).as("nothing was created").isTrue();
    }

    @Test
    void anAccountWithoutABundleGetsOneWithSetIdentityAndAForgedOneIsRefused() throws Exception {
        HarnessClient c = h.connect();
        assertThat(register(c, "old", null).ok()).isTrue();
        assertThat(login(c, "old").identity()).as("migration: none stored yet").isNull();
        Answer bad = c.call(RegistryOpcodes.SET_IDENTITY, forged()::encode);
        assertThat(bad.error()).isEqualTo(RegistryErrors.BAD_IDENTITY);
        IdentityBundle b = bundle();
        assertThat(c.call(RegistryOpcodes.SET_IDENTITY, b::encode).ok()).isTrue();
        assertThat(h.store.writes).contains("identity 1");
        c.call(RegistryOpcodes.LOGOUT);
        assertThat(login(c, "old").identity()).isEqualTo(b);
    }

    @Test
    void setIdentityNeedsALogin() {
        HarnessClient c = h.connect();
        assertThat(c.call(RegistryOpcodes.SET_IDENTITY, bundle()::encode).error()).isEqualTo(RegistryErrors.NOT_AUTHENTICATED);
    }

    @Test
    void lookupAnswersContactsOnlyAndEveryoneElseIsTheSameNoSuchUser() throws Exception {
        IdentityBundle bobs = bundle();
        HarnessClient amy = user("amy", bundle());
        HarnessClient bob = user("bob", bobs);
        user("cat", bundle());
        HarnessClient dan = user("dan", bundle());
        befriend(amy, "amy", bob, "bob");
        befriend(amy, "amy", dan, "dan");
        assertThat(dan.call(RegistryOpcodes.BLOCK, new NameBody("amy")::encode).ok()).isTrue();

        Answer contact = lookup(amy, "bob");
        assertThat(contact.ok()).isTrue();
        assertThat(IdentityBundle.readOptional(contact.body())).isEqualTo(bobs);

        String absent = HarnessVisibilityMatrixTest.anonymous(lookup(amy, "eve"), "eve");
        String stranger = HarnessVisibilityMatrixTest.anonymous(lookup(amy, "cat"), "cat");
        String blocker = HarnessVisibilityMatrixTest.anonymous(lookup(amy, "dan"), "dan");
        assertThat(absent).startsWith(RegistryErrors.NO_SUCH_USER + ":");
        assertThat(stranger).isEqualTo(absent);
        assertThat(blocker).isEqualTo(absent);
    }

    @Test
    void aContactWithoutABundleLooksUpAsNone() throws Exception {
        HarnessClient amy = user("amy", bundle());
        HarnessClient old = user("old", null);
        befriend(amy, "amy", old, "old");
        Answer a = lookup(amy, "old");
        assertThat(a.ok()).isTrue();
        assertThat(IdentityBundle.readOptional(a.body())).isNull();
    }

    @Test
    void anInvitationCarriesTheRequestersBundle() throws Exception {
        IdentityBundle amys = bundle();
        HarnessClient amy = user("amy", amys);
        HarnessClient bob = user("bob", bundle());
        befriend(amy, "amy", bob, "bob");
        assertThat(amy.call(RegistryOpcodes.ANNOUNCE_ENDPOINT, new AnnounceEndpoint("10.0.0.1", 4000)::encode).ok()).isTrue();
        bob.pushes.clear();
        assertThat(amy.call(RegistryOpcodes.PEER_CONNECT, new PeerConnect("bob", 7, new byte[32])::encode).ok()).isTrue();
        Frame invite = bob.pushes.stream().filter(f -> f.opcode() == RegistryOpcodes.PEER_INVITE).findFirst().orElseThrow();
        assertThat(PeerIntroduction.decodeInvite(invite.reader()).identity()).isEqualTo(amys);
    }
}
