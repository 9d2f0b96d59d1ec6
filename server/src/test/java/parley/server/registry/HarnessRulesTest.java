package parley.server.registry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import parley.core.wire.BodyReader;
import parley.core.wire.ErrorCode;
import parley.server.protocol.AnnounceEndpoint;
import parley.server.protocol.Heartbeat;
import parley.server.protocol.NameBody;
import parley.server.protocol.PeerAnswer;
import parley.server.protocol.PeerConnect;
import parley.server.protocol.PeerDeclined;
import parley.server.protocol.PeerIntroduction;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.SessionClosed;
import parley.server.protocol.SetVisibility;
import parley.server.registry.HarnessClient.Answer;
import parley.server.registry.HarnessClient.Frame;
import parley.server.store.StorageFailure;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Leases, login deadlines and introductions on synthetic time, in the in-memory {@link Harness}. */
class HarnessRulesTest {
    final Harness h = new Harness();

    @AfterEach
    void close() {
        h.close();
    }

    private long timeoutMillis() {
        return TimeUnit.NANOSECONDS.toMillis(h.config.sessionTimeoutNanos);
    }

    private static List<Frame> pushes(HarnessClient c, int opcode) {
        List<Frame> out = new ArrayList<>();
        for (Frame f : c.pushes) {
            if (f.opcode() == opcode) {
                out.add(f);
            }
        }
        return out;
    }

    private static int connectionError(HarnessClient c) {
        Frame f = c.connectionErrors().peekLast();
        return f == null ? 0 : f.reader().u16();
    }

    @Test
    void aSessionWithoutHeartbeatsExpiresAtItsTimeoutAndSaysWhy() {
        HarnessClient amy = h.user("amy");
        h.advance(timeoutMillis() - 1, TimeUnit.MILLISECONDS);
        assertThat(amy.isOpen()).isTrue();
        h.advance(2, TimeUnit.MILLISECONDS);
        assertThat(amy.isOpen()).isFalse();
        List<Frame> closed = pushes(amy, RegistryOpcodes.SESSION_CLOSED);
        assertThat(closed).hasSize(1);
        assertThat(SessionClosed.decode(closed.get(0).reader()).code()).isEqualTo(RegistryErrors.SESSION_EXPIRED);
        assertThat(connectionError(amy)).isEqualTo(RegistryErrors.SESSION_EXPIRED);
        assertThat(h.rules.registry.connectionCount()).isZero();
        assertThat(h.rules.registry.account("amy").session).isNull();
    }

    @Test
    void heartbeatsKeepTheSessionAndItsLeaseRunsFromTheLastOne() {
        HarnessClient amy = h.user("amy");
        for (int i = 0; i < 10; i++) {
            h.advance(timeoutMillis() * 3 / 4, TimeUnit.MILLISECONDS);
            Answer a = amy.call(RegistryOpcodes.HEARTBEAT, w -> Heartbeat.encodeRequest(w, 1));
            assertThat(Heartbeat.decodeReply(a.body())).isEqualTo((int) timeoutMillis());
        }
        assertThat(amy.isOpen()).isTrue();
        h.advance(timeoutMillis() + 1, TimeUnit.MILLISECONDS);
        assertThat(amy.isOpen()).isFalse();
    }

    @Test
    void aConnectionThatNeverLogsInIsClosedAtTheLoginDeadlineFromAccept() {
        HarnessClient c = h.connect();
        long step = TimeUnit.NANOSECONDS.toMillis(h.config.loginTimeoutNanos) / 10;
        for (int i = 0; i < 9; i++) {
            h.advance(step, TimeUnit.MILLISECONDS);
            assertThat(c.call(RegistryOpcodes.WHO).error()).isEqualTo(RegistryErrors.NOT_AUTHENTICATED);
        }
        assertThat(c.isOpen()).isTrue();
        h.advance(step + 1, TimeUnit.MILLISECONDS);
        assertThat(c.isOpen()).isFalse();
        assertThat(connectionError(c)).isEqualTo(ErrorCode.TIMEOUT);
    }

    private HarnessClient reachable(String name) {
        HarnessClient c = h.user(name);
        assertThat(c.call(RegistryOpcodes.SET_VISIBILITY, new SetVisibility(0)::encode).ok()).isTrue();
        assertThat(c.call(RegistryOpcodes.ANNOUNCE_ENDPOINT, new AnnounceEndpoint("10.0.2.1", 4000)::encode).ok()).isTrue();
        return c;
    }

    private static Answer connect(HarnessClient from, String to) {
        return from.call(RegistryOpcodes.PEER_CONNECT, new PeerConnect(to, 7L, new byte[32])::encode);
    }

    @Test
    void anUnansweredInvitationExpiresAndTheRequesterIsTold() {
        HarnessClient amy = reachable("amy");
        HarnessClient bob = reachable("bob");
        assertThat(connect(amy, "bob").ok()).isTrue();
        List<Frame> invites = pushes(bob, RegistryOpcodes.PEER_INVITE);
        assertThat(invites).hasSize(1);
        PeerIntroduction invite = PeerIntroduction.decodeInvite(invites.get(0).reader());
        assertThat(invite.name()).isEqualTo("amy");
        assertThat(invite.endpoints().announcedHost()).isEqualTo("10.0.2.1");
        // Heartbeats keep both sessions alive while the invitation waits.
        for (long waited = 0; waited <= TimeUnit.NANOSECONDS.toMillis(h.config.inviteTimeoutNanos); waited += 5_000) {
            h.advance(5, TimeUnit.SECONDS);
            amy.call(RegistryOpcodes.HEARTBEAT, w -> Heartbeat.encodeRequest(w, 1));
            bob.call(RegistryOpcodes.HEARTBEAT, w -> Heartbeat.encodeRequest(w, 1));
        }
        List<Frame> declined = pushes(amy, RegistryOpcodes.PEER_DECLINED);
        assertThat(declined).hasSize(1);
        assertThat(PeerDeclined.decode(declined.get(0).reader())).isEqualTo(new PeerDeclined(invite.inviteId(), "bob", "no answer"));
        assertThat(h.rules.introductions.pending()).isZero();
        Answer late = bob.call(RegistryOpcodes.PEER_ANSWER, new PeerAnswer(invite.inviteId(), 1, 8L, new byte[32])::encode);
        assertThat(late.error()).isEqualTo(RegistryErrors.NO_SUCH_INVITE);
    }

    @Test
    void aLogoutDropsTheInvitationsOfThatAccountOnly() {
        HarnessClient amy = reachable("amy");
        HarnessClient carol = reachable("carol");
        HarnessClient bob = reachable("bob");
        HarnessClient dan = reachable("dan");
        reachable("erin");
        assertThat(connect(amy, "bob").ok()).isTrue();
        assertThat(connect(carol, "bob").ok()).isTrue();
        assertThat(connect(dan, "erin").ok()).isTrue();
        assertThat(bob.call(RegistryOpcodes.LOGOUT).ok()).isTrue();
        for (HarnessClient requester : List.of(amy, carol)) {
            List<Frame> declined = pushes(requester, RegistryOpcodes.PEER_DECLINED);
            assertThat(declined).hasSize(1);
            assertThat(PeerDeclined.decode(declined.get(0).reader()).reason()).isEqualTo("went offline");
        }
        assertThat(pushes(dan, RegistryOpcodes.PEER_DECLINED)).isEmpty();
        assertThat(h.rules.introductions.pending()).isEqualTo(1);
        assertThat(h.rules.registry.account("amy").invites.sent).isEmpty();
        assertThat(h.rules.registry.account("bob").invites.received).isEmpty();
    }

    @Test
    void eachUserMayHaveOnlySoManyInvitationsWaitingAndAnAnswerFreesOne() {
        h.config.maxInvitesPerUser = 2;
        HarnessClient amy = reachable("amy");
        HarnessClient bob = reachable("bob");
        reachable("carol");
        reachable("dan");
        assertThat(connect(amy, "bob").ok()).isTrue();
        assertThat(connect(amy, "carol").ok()).isTrue();
        assertThat(connect(amy, "dan").error()).isEqualTo(RegistryErrors.TOO_MANY_PENDING);
        int id = PeerIntroduction.decodeInvite(pushes(bob, RegistryOpcodes.PEER_INVITE).get(0).reader()).inviteId();
        assertThat(bob.call(RegistryOpcodes.PEER_ANSWER, new PeerAnswer(id, 1, 9L, new byte[32])::encode).ok()).isTrue();
        List<Frame> ready = pushes(amy, RegistryOpcodes.PEER_READY);
        assertThat(ready).hasSize(1);
        PeerIntroduction r = PeerIntroduction.decodeReady(ready.get(0).reader());
        assertThat(r.name()).isEqualTo("bob");
        assertThat(r.sessionId()).isEqualTo(9L);
        assertThat(connect(amy, "dan").ok()).isTrue();
    }

    @Test
    void aFailedWriteIsAnsweredAndChangesNothing() {
        HarnessClient amy = h.user("amy");
        h.user("bob");
        h.store.failNext(new StorageFailure(StorageFailure.Kind.FULL, "disk full"));
        Answer a = amy.call(RegistryOpcodes.CONTACT_REQUEST, new NameBody("bob")::encode);
        assertThat(a.error()).isEqualTo(RegistryErrors.STORAGE_FAILED);
        assertThat(h.rules.registry.account("amy").hasOutgoing(h.rules.registry.account("bob"))).isFalse();
        assertThat(amy.call(RegistryOpcodes.CONTACT_REQUEST, new NameBody("bob")::encode).ok()).isTrue();
    }

    @Test
    void aSecondLoginReplacesTheFirstSessionAndItsContactsSeeNoChange() {
        HarnessClient amy = h.user("amy");
        HarnessClient bob = h.user("bob");
        assertThat(amy.call(RegistryOpcodes.CONTACT_REQUEST, new NameBody("bob")::encode).ok()).isTrue();
        assertThat(bob.call(RegistryOpcodes.CONTACT_ACCEPT, new NameBody("amy")::encode).ok()).isTrue();
        bob.pushes.clear();
        HarnessClient again = h.connect();
        again.login("amy");
        assertThat(amy.isOpen()).isFalse();
        List<Frame> closed = pushes(amy, RegistryOpcodes.SESSION_CLOSED);
        assertThat(closed).hasSize(1);
        assertThat(SessionClosed.decode(closed.get(0).reader()).code()).isEqualTo(RegistryErrors.SESSION_REPLACED);
        assertThat(connectionError(amy)).isEqualTo(RegistryErrors.SESSION_REPLACED);
        assertThat(pushes(bob, RegistryOpcodes.PRESENCE)).as("amy stayed online for bob").isEmpty();
        assertThat(again.call(RegistryOpcodes.WHO).ok()).isTrue();
        assertThat(h.rules.sessions.byProbeId(again.probeId())).isNotNull();
        assertThat(h.rules.sessions.byProbeId(amy.probeId())).isNull();
    }

    @Test
    void shutdownTellsEverySessionAndRefusesNewConnections() {
        HarnessClient amy = h.user("amy");
        HarnessClient anonymous = h.connect();
        h.rules.sessions.shutdown();
        h.settle();
        for (HarnessClient c : List.of(amy, anonymous)) {
            assertThat(c.isOpen()).isFalse();
            assertThat(connectionError(c)).isEqualTo(ErrorCode.SHUTTING_DOWN);
        }
        assertThat(h.connect()).as("refused").isNull();
        assertThat(h.rules.registry.connectionCount()).isZero();
    }

    @Test
    void aBadBodyIsAnsweredMalformedAndTheSessionCarriesOn() {
        HarnessClient amy = h.user("amy");
        Answer a = amy.call(RegistryOpcodes.LOOKUP_ENDPOINT, w -> w.u8(1));
        assertThat(a.error()).isEqualTo(ErrorCode.MALFORMED_BODY);
        BodyReader who = amy.call(RegistryOpcodes.WHO).body();
        assertThat(who.u16()).isZero();
    }
}
