package parley.server.registry;

import parley.server.protocol.ContactEventPush;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.wire.BodyReader;
import parley.core.wire.ErrorCode;
import parley.server.protocol.client.SyncRegistryClient;
import parley.server.policy.Visibility;
import parley.server.protocol.client.SyncRegistryClient.Answer;
import parley.server.protocol.client.SyncRegistryClient.Push;
import parley.server.protocol.PresenceState;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static parley.server.registry.Users.named;

/** Each registry command's success and error paths, through the real protocol on loopback. */
class RegistryCommandsTest {
    @TempDir
    Path dir;
    ServerFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new ServerFixture(dir);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void registerRulesEachBreakWithTheirOwnCode() throws Exception {
        SyncRegistryClient c = fx.client();
        assertThat(Users.tryRegister(c, "ab", "pw").error).isEqualTo(RegistryErrors.USERNAME_TOO_SHORT);
        assertThat(Users.tryRegister(c, "a".repeat(33), "pw").error).isEqualTo(RegistryErrors.USERNAME_TOO_LONG);
        Answer bad = Users.tryRegister(c, "bad name", "pw");
        assertThat(bad.error).isEqualTo(RegistryErrors.USERNAME_BAD_CHARACTER);
        assertThat(bad.reason).contains("position 3");
        assertThat(Users.tryRegister(c, "Alice_1.x-y", "pw").ok()).isTrue();
        assertThat(Users.tryRegister(c, "alice_1.X-Y", "pw").error).as("unique without regard to case")
                .isEqualTo(RegistryErrors.USERNAME_TAKEN);
        Answer weak = c.call(RegistryOpcodes.REGISTER, w -> w.string("weakling").bytes(new byte[16]).i32(10)
                .bytes(new byte[32]).bytes(new byte[32]));
        assertThat(weak.error).isEqualTo(RegistryErrors.BAD_CREDENTIALS);
    }

    @Test
    void loginFailuresLookTheSameForUnknownUsersAndWrongPasswords() throws Exception {
        fx.user("carol");
        SyncRegistryClient c = fx.client();
        Answer wrong = Users.tryLogin(c, "carol", "not-her-password");
        Answer unknown = Users.tryLogin(c, "nobody-here", "whatever");
        assertThat(wrong.error).isEqualTo(RegistryErrors.AUTH_FAILED);
        assertThat(unknown.error).isEqualTo(RegistryErrors.AUTH_FAILED);
        assertThat(unknown.reason).isEqualTo(wrong.reason);
        assertThat(Users.tryLogin(c, "CAROL", "pw-carol").ok()).as("login is case-insensitive on the name").isTrue();
    }

    @Test
    void repeatedFailedLoginsAreThrottled() throws Exception {
        fx.user("dave");
        SyncRegistryClient c = fx.client();
        int code = 0;
        for (int i = 0; i < 20 && code != RegistryErrors.THROTTLED; i++) {
            code = Users.tryLogin(c, "dave", "guess" + i).error;
        }
        assertThat(code).isEqualTo(RegistryErrors.THROTTLED);
        assertThat(Users.tryLogin(c, "dave", "pw-dave").error).as("even the right password waits out the lockout")
                .isEqualTo(RegistryErrors.THROTTLED);
    }

    @Test
    void requestsBeforeLoginAreRefused() throws Exception {
        SyncRegistryClient c = fx.client();
        assertThat(c.call(RegistryOpcodes.WHO).error).isEqualTo(RegistryErrors.NOT_AUTHENTICATED);
        assertThat(c.call(RegistryOpcodes.HEARTBEAT, w -> w.u8(1)).error).isEqualTo(RegistryErrors.NOT_AUTHENTICATED);
    }

    @Test
    void unknownOpcodeAndWrongClassGetTheirCodesAndTheConnectionStays() throws Exception {
        SyncRegistryClient c = fx.user("erin");
        assertThat(c.call(0x7E).error).isEqualTo(ErrorCode.UNKNOWN_OPCODE);
        // PRESENCE is a push: a peer may not send it.
        assertThat(c.call(RegistryOpcodes.PRESENCE).error).isEqualTo(ErrorCode.BAD_STATE);
        assertThat(c.call(RegistryOpcodes.WHO, w -> w.u8(1)).error).as("trailing bytes").isEqualTo(ErrorCode.MALFORMED_BODY);
        assertThat(c.call(RegistryOpcodes.WHO).ok()).isTrue();
    }

    @Test
    void heartbeatAnswersWithTheLeaseAndAwayIsPushedToContacts() throws Exception {
        SyncRegistryClient a = fx.user("fay");
        SyncRegistryClient b = fx.user("gus");
        Users.makeContacts(a, "fay", b, "gus");
        Answer hb = a.call(RegistryOpcodes.HEARTBEAT, w -> w.u8(PresenceState.AWAY));
        assertThat(hb.ok()).isTrue();
        assertThat(hb.body().i32()).isEqualTo(15_000);
        assertThat(Users.nextPresence(b, "fay")).isEqualTo(PresenceState.AWAY);
        assertThat(a.call(RegistryOpcodes.HEARTBEAT, w -> w.u8(9)).error).isEqualTo(ErrorCode.MALFORMED_BODY);
    }

    @Test
    void contactLifecycleRequestAcceptRemoveWithPushes() throws Exception {
        SyncRegistryClient a = fx.user("hal");
        SyncRegistryClient b = fx.user("ivy");
        assertThat(named(a, RegistryOpcodes.CONTACT_REQUEST, "ivy").ok()).isTrue();
        assertThat(named(a, RegistryOpcodes.CONTACT_REQUEST, "ivy").error).isEqualTo(RegistryErrors.REQUEST_PENDING);
        Push request = b.awaitPush(RegistryOpcodes.CONTACT_EVENT, 10, TimeUnit.SECONDS);
        BodyReader r = request.body();
        assertThat(r.string(32)).isEqualTo("hal");
        assertThat(r.u8()).isEqualTo(ContactEventPush.REQUESTED);
        assertThat(Users.contacts(b).incoming).containsExactly("hal");
        assertThat(named(b, RegistryOpcodes.CONTACT_ACCEPT, "nobody-x").error).isEqualTo(RegistryErrors.NO_SUCH_USER);
        assertThat(named(b, RegistryOpcodes.CONTACT_ACCEPT, "hal").ok()).isTrue();
        assertThat(named(b, RegistryOpcodes.CONTACT_ACCEPT, "hal").error).isEqualTo(RegistryErrors.NO_PENDING_REQUEST);
        assertThat(a.awaitPush(RegistryOpcodes.CONTACT_EVENT, 10, TimeUnit.SECONDS).body().string(32)).isEqualTo("ivy");
        assertThat(Users.contacts(a).contacts).containsExactly("ivy");
        assertThat(named(a, RegistryOpcodes.CONTACT_REQUEST, "ivy").error).isEqualTo(RegistryErrors.ALREADY_CONTACTS);
        assertThat(named(a, RegistryOpcodes.CONTACT_REQUEST, "hal").error).isEqualTo(RegistryErrors.CANNOT_TARGET_SELF);
        assertThat(named(b, RegistryOpcodes.CONTACT_REMOVE, "hal").ok()).isTrue();
        assertThat(named(b, RegistryOpcodes.CONTACT_REMOVE, "hal").error).isEqualTo(RegistryErrors.NOT_CONTACTS);
        assertThat(Users.contacts(a).contacts).isEmpty();
    }

    @Test
    void declineAndMutualRequestBecomesAnAccept() throws Exception {
        SyncRegistryClient a = fx.user("jay");
        SyncRegistryClient b = fx.user("kim");
        assertThat(named(a, RegistryOpcodes.CONTACT_REQUEST, "kim").ok()).isTrue();
        assertThat(named(b, RegistryOpcodes.CONTACT_DECLINE, "jay").ok()).isTrue();
        assertThat(named(b, RegistryOpcodes.CONTACT_DECLINE, "jay").error).isEqualTo(RegistryErrors.NO_PENDING_REQUEST);
        assertThat(Users.contacts(a).outgoing).isEmpty();
        assertThat(named(a, RegistryOpcodes.CONTACT_REQUEST, "kim").ok()).isTrue();
        assertThat(named(b, RegistryOpcodes.CONTACT_REQUEST, "jay").ok()).as("asking back accepts").isTrue();
        assertThat(Users.contacts(a).contacts).containsExactly("kim");
    }

    @Test
    void pendingRequestsAreCapped() throws Exception {
        fx.config.maxPendingRequests = 3;
        SyncRegistryClient a = fx.user("lee");
        for (int i = 0; i < 4; i++) {
            fx.user("target" + i);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(named(a, RegistryOpcodes.CONTACT_REQUEST, "target" + i).ok()).isTrue();
        }
        assertThat(named(a, RegistryOpcodes.CONTACT_REQUEST, "target3").error).isEqualTo(RegistryErrors.TOO_MANY_PENDING);
    }

    @Test
    void blockMakesYouLookNonexistentAndUnblockUndoesIt() throws Exception {
        SyncRegistryClient a = fx.user("max");
        SyncRegistryClient b = fx.user("ned");
        Users.makeContacts(a, "max", b, "ned");
        assertThat(named(a, RegistryOpcodes.BLOCK, "ned").ok()).isTrue();
        assertThat(Users.contacts(a).blocked).containsExactly("ned");
        assertThat(Users.contacts(a).contacts).isEmpty();
        Answer fromBlocked = named(b, RegistryOpcodes.CONTACT_REQUEST, "max");
        Answer unknown = named(b, RegistryOpcodes.CONTACT_REQUEST, "zzz-unknown");
        assertThat(fromBlocked.error).isEqualTo(RegistryErrors.NO_SUCH_USER).isEqualTo(unknown.error);
        assertThat(Users.search(b, "max")).isEmpty();
        assertThat(named(a, RegistryOpcodes.UNBLOCK, "ned").ok()).isTrue();
        assertThat(named(a, RegistryOpcodes.UNBLOCK, "ned").error).isEqualTo(RegistryErrors.NO_SUCH_USER);
        assertThat(Users.search(b, "max")).containsExactly("max");
    }

    @Test
    void setVisibilityValidatesAndPersists() throws Exception {
        SyncRegistryClient a = fx.user("oda");
        assertThat(a.call(RegistryOpcodes.SET_VISIBILITY, w -> w.u8(7)).error).isEqualTo(RegistryErrors.BAD_VISIBILITY);
        assertThat(a.call(RegistryOpcodes.SET_VISIBILITY, w -> w.u8(Visibility.NOBODY.code())).ok()).isTrue();
        SyncRegistryClient again = fx.client();
        assertThat(Users.login(again, "oda", "pw-oda").visibility).isEqualTo(Visibility.NOBODY.code());
    }

    @Test
    void endpointsAnnouncedAndObservedByUdpProbe() throws Exception {
        SyncRegistryClient a = fx.user("pam");
        SyncRegistryClient b = fx.user("quinn");
        Users.makeContacts(a, "pam", b, "quinn");
        assertThat(a.call(RegistryOpcodes.ANNOUNCE_ENDPOINT, w -> w.string("").u16(0)).error).isEqualTo(RegistryErrors.BAD_ENDPOINT);
        assertThat(a.call(RegistryOpcodes.ANNOUNCE_ENDPOINT, w -> w.string("127.0.0.1").u16(5555)).ok()).isTrue();
        int observedPort = Users.probe(fx.server.udpAddress(), Users.lastToken(a));
        Answer look = named(b, RegistryOpcodes.LOOKUP_ENDPOINT, "pam");
        assertThat(look.ok()).isTrue();
        BodyReader r = look.body();
        assertThat(r.string(64)).isEqualTo("127.0.0.1");
        assertThat(r.u16()).isEqualTo(5555);
        assertThat(r.string(64)).isEqualTo("127.0.0.1");
        assertThat(r.u16()).isEqualTo(observedPort);
        assertThat(Users.probeWithBadToken(fx.server.udpAddress())).as("no answer to a forged token").isFalse();
    }

    @Test
    void newLoginReplacesTheOldSessionWhichIsToldWhy() throws Exception {
        SyncRegistryClient first = fx.user("rex");
        SyncRegistryClient second = fx.login("rex");
        Push closed = first.awaitPush(RegistryOpcodes.SESSION_CLOSED, 10, TimeUnit.SECONDS);
        assertThat(closed).isNotNull();
        assertThat(closed.body().u16()).isEqualTo(RegistryErrors.SESSION_REPLACED);
        assertThat(first.closedFuture().get(10, TimeUnit.SECONDS)).isNotNull();
        assertThat(second.call(RegistryOpcodes.WHO).ok()).isTrue();
    }

    @Test
    void logoutTakesTheUserOffline() throws Exception {
        SyncRegistryClient a = fx.user("sam");
        SyncRegistryClient b = fx.user("tia");
        Users.makeContacts(a, "sam", b, "tia");
        assertThat(Users.who(b)).contains("sam");
        assertThat(a.call(RegistryOpcodes.LOGOUT).ok()).isTrue();
        assertThat(Users.nextPresence(b, "sam")).isEqualTo(PresenceState.OFFLINE);
        assertThat(a.call(RegistryOpcodes.WHO).error).isEqualTo(RegistryErrors.NOT_AUTHENTICATED);
    }

    @Test
    void peerIntroductionAcceptAndDecline() throws Exception {
        SyncRegistryClient a = fx.user("uma");
        SyncRegistryClient b = fx.user("vic");
        Users.makeContacts(a, "uma", b, "vic");
        assertThat(a.call(RegistryOpcodes.PEER_CONNECT, w -> w.string("vic").i64(10L).fixed(Users.key(1)).u8(0).u8(0)).error)
                .isEqualTo(RegistryErrors.NO_ENDPOINT);
        assertThat(a.call(RegistryOpcodes.ANNOUNCE_ENDPOINT, w -> w.string("127.0.0.1").u16(7001)).ok()).isTrue();
        assertThat(b.call(RegistryOpcodes.ANNOUNCE_ENDPOINT, w -> w.string("127.0.0.1").u16(7002)).ok()).isTrue();
        byte[] keyA = Users.key(1);
        byte[] keyB = Users.key(2);
        Answer connect = a.call(RegistryOpcodes.PEER_CONNECT, w -> w.string("vic").i64(11L).fixed(keyA).u8(0).u8(0));
        assertThat(connect.ok()).isTrue();
        int invite = connect.body().i32();
        Push inv = b.awaitPush(RegistryOpcodes.PEER_INVITE, 10, TimeUnit.SECONDS);
        BodyReader r = inv.body();
        assertThat(r.i32()).isEqualTo(invite);
        assertThat(r.string(32)).isEqualTo("uma");
        assertThat(r.i64()).isEqualTo(11L);
        byte[] got = new byte[32];
        r.fixed(got);
        assertThat(got).isEqualTo(keyA);
        assertThat(b.call(RegistryOpcodes.PEER_ANSWER, w -> w.i32(invite + 1000).u8(1).i64(22L).fixed(keyB).u8(0).u8(0)).error)
                .isEqualTo(RegistryErrors.NO_SUCH_INVITE);
        assertThat(b.call(RegistryOpcodes.PEER_ANSWER, w -> w.i32(invite).u8(1).i64(22L).fixed(keyB).u8(0).u8(0)).ok()).isTrue();
        BodyReader ready = a.awaitPush(RegistryOpcodes.PEER_READY, 10, TimeUnit.SECONDS).body();
        assertThat(ready.i32()).isEqualTo(invite);
        assertThat(ready.string(32)).isEqualTo("vic");
        assertThat(ready.i64()).isEqualTo(22L);
        ready.fixed(got);
        assertThat(got).isEqualTo(keyB);

        int second = a.call(RegistryOpcodes.PEER_CONNECT, w -> w.string("vic").i64(12L).fixed(keyA).u8(0).u8(0)).body().i32();
        b.awaitPush(RegistryOpcodes.PEER_INVITE, 10, TimeUnit.SECONDS);
        assertThat(b.call(RegistryOpcodes.PEER_ANSWER, w -> w.i32(second).u8(0).i64(0).fixed(new byte[32]).u8(0).u8(0)).ok()).isTrue();
        BodyReader declined = a.awaitPush(RegistryOpcodes.PEER_DECLINED, 10, TimeUnit.SECONDS).body();
        assertThat(declined.i32()).isEqualTo(second);
        assertThat(declined.string(32)).isEqualTo("vic");
        assertThat(a.call(RegistryOpcodes.PEER_CONNECT, w -> w.string("uma").i64(13L).fixed(keyA).u8(0).u8(0)).error)
                .isEqualTo(RegistryErrors.CANNOT_TARGET_SELF);
    }

    @Test
    void searchFindsByPrefixInNameOrder() throws Exception {
        SyncRegistryClient a = fx.user("wes");
        fx.user("zed-two");
        fx.user("zed-one");
        List<String> found = Users.search(a, "ZED");
        assertThat(found).containsExactly("zed-one", "zed-two");
        assertThat(Users.search(a, "zed-one")).containsExactly("zed-one");
        assertThat(Users.search(a, "zed-one-and-more")).isEmpty();
        assertThat(Users.search(a, "")).containsExactly("wes", "zed-one", "zed-two");
        assertThat(Users.search(a, "ZÉD")).as("no name has a letter outside ASCII").isEmpty();
        Answer notUtf8 = a.call(RegistryOpcodes.SEARCH, w -> w.bytes(new byte[] {'z', (byte) 0xC3}));
        assertThat(notUtf8.error).isEqualTo(ErrorCode.MALFORMED_BODY);
    }
}
