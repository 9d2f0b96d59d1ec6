package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.loop.ManualClock;
import parley.core.loop.NanoClock;
import parley.server.protocol.PeerAnswer;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.client.SyncRegistryClient.Answer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the relay allocates and when it tears down: never for a pair the privacy rules keep apart,
 * and at once when a block, a visibility change or the end of a registry session comes between
 * them mid-relay; after 120 s idle on the registry's (synthetic) clock; and with the relay off,
 * never.
 */
class RelayLifecycleTest {
    @TempDir
    Path dir;

    private static final byte[] HI = "hi".getBytes(StandardCharsets.UTF_8);

    /** Both sides heard from once; returns the bed. */
    static RelayBed bothHeard(RelayBed bed) throws Exception {
        bed.send(bed.amyUdp, RelayBed.wrap(bed.amyGrant, bed.seal(bed.amySessionKeys(), bed.bobSid, HI)));
        bed.awaitStats(s -> s.noPeerAddress() == 1);
        byte[] inner = bed.seal(bed.bobSessionKeys(), bed.amySid, HI);
        bed.send(bed.bobUdp, RelayBed.wrap(bed.bobGrant, inner));
        assertThat(RelayBed.receive(bed.amyUdp)).isEqualTo(inner);
        return bed;
    }

    /** amy's datagram is now refused as an unknown token: the allocation is gone. */
    static void tokenIsDead(RelayBed bed) throws Exception {
        long before = bed.fx.server.relayStats().unknownToken();
        bed.send(bed.amyUdp, RelayBed.wrap(bed.amyGrant, bed.seal(bed.amySessionKeys(), bed.bobSid, HI)));
        bed.awaitStats(s -> s.unknownToken() == before + 1);
    }

    @Test
    void aBlockBeforeTheAnswerMeansNoAllocationAndNoIntroduction() throws Exception {
        try (RelayBed bed = new RelayBed(dir)) {
            int invite = bed.connect();
            assertThat(Users.named(bed.bob, RegistryOpcodes.BLOCK, "amy").ok()).isTrue();
            Answer a = bed.bob.call(RegistryOpcodes.PEER_ANSWER,
                    new PeerAnswer(invite, PeerAnswer.ACCEPT, bed.bobSid, bed.bobKeys.publicKey())::encode);
            assertThat(a.error).as("answered as an expired invite").isEqualTo(RegistryErrors.NO_SUCH_INVITE);
            assertThat(bed.amy.awaitPush(RegistryOpcodes.PEER_DECLINED, 10, TimeUnit.SECONDS)).isNotNull();
            assertThat(bed.amy.pushes().stream().anyMatch(p -> p.opcode == RegistryOpcodes.PEER_READY)).isFalse();
            RelayStats s = bed.fx.server.relayStats();
            assertThat(s.sessionsTotal()).isZero();
            assertThat(s.sessionsCurrent()).isZero();
        }
    }

    @Test
    void theRequesterBlockingBeforeTheAnswerAlsoKeepsThemApart() throws Exception {
        try (RelayBed bed = new RelayBed(dir)) {
            int invite = bed.connect();
            assertThat(Users.named(bed.amy, RegistryOpcodes.BLOCK, "bob").ok()).isTrue();
            Answer a = bed.bob.call(RegistryOpcodes.PEER_ANSWER,
                    new PeerAnswer(invite, PeerAnswer.ACCEPT, bed.bobSid, bed.bobKeys.publicKey())::encode);
            assertThat(a.error).isEqualTo(RegistryErrors.NO_SUCH_INVITE);
            assertThat(bed.fx.server.relayStats().sessionsTotal()).isZero();
        }
    }

    @Test
    void aBlockMidRelayTearsItDown() throws Exception {
        try (RelayBed bed = bothHeard(new RelayBed(dir).introduce())) {
            assertThat(Users.named(bed.bob, RegistryOpcodes.BLOCK, "amy").ok()).isTrue();
            assertThat(bed.fx.server.relayStats().sessionsCurrent()).isZero();
            tokenIsDead(bed);
        }
    }

    @Test
    void hidingFromTheRequesterMidRelayTearsItDown() throws Exception {
        try (RelayBed bed = bothHeard(new RelayBed(dir).introduce())) {
            assertThat(bed.bob.call(RegistryOpcodes.SET_VISIBILITY, w -> w.u8(2)).ok()).isTrue(); // nobody
            assertThat(bed.fx.server.relayStats().sessionsCurrent()).isZero();
            tokenIsDead(bed);
        }
    }

    @Test
    void theEndOfARegistrySessionTearsItDown() throws Exception {
        try (RelayBed bed = bothHeard(new RelayBed(dir).introduce())) {
            assertThat(bed.amy.call(RegistryOpcodes.LOGOUT).ok()).isTrue();
            assertThat(bed.fx.server.relayStats().sessionsCurrent()).isZero();
            tokenIsDead(bed);
        }
    }

    @Test
    void aRelayedSessionEndsAfter120SecondsWithoutTrafficOnTheRegistrysClock() throws Exception {
        ManualClock clock = new ManualClock();
        RegistryConfig config = new RegistryConfig();
        config.sessionTimeoutNanos = TimeUnit.HOURS.toNanos(1); // the registry sessions outlive the test's jumps
        try (RelayBed bed = bothHeard(new RelayBed(dir, config, clock).introduce())) {
            clock.advance(100, TimeUnit.SECONDS);
            bed.fx.turnLoop();
            assertThat(bed.fx.server.relayStats().sessionsCurrent()).isEqualTo(1);
            // Traffic at 100 s moves the deadline to 220 s.
            byte[] inner = bed.seal(bed.amySessionKeys(), bed.bobSid, HI);
            bed.send(bed.amyUdp, RelayBed.wrap(bed.amyGrant, inner));
            assertThat(RelayBed.receive(bed.bobUdp)).isEqualTo(inner);
            clock.advance(100, TimeUnit.SECONDS); // 200 s
            bed.fx.turnLoop();
            assertThat(bed.fx.server.relayStats().sessionsCurrent()).isEqualTo(1);
            clock.advance(21, TimeUnit.SECONDS); // 221 s
            bed.fx.turnLoop();
            assertThat(bed.fx.server.relayStats().sessionsCurrent()).isZero();
            tokenIsDead(bed);
        }
    }

    @Test
    void withTheRelayOffThereAreNoGrantsAndRelayDatagramsAreIgnored() throws Exception {
        RegistryConfig config = new RegistryConfig();
        config.relayEnabled = false;
        try (RelayBed bed = new RelayBed(dir, config, NanoClock.SYSTEM).introduce()) {
            assertThat(bed.amyGrant).isNull();
            assertThat(bed.bobGrant).isNull();
            bed.send(bed.amyUdp, RelayBed.wrap(new parley.server.protocol.RelayGrant(1, 2, "", 0),
                    bed.seal(bed.amySessionKeys(), bed.bobSid, HI)));
            assertThat(bed.fx.server.query(r -> r.accountCount()).intValue()).isEqualTo(2); // the loop is alive and serving
            assertThat(bed.fx.server.relayStats().packets()).isZero();
        }
    }
}
