package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.loop.ManualClock;
import parley.core.loop.NanoClock;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay's quotas: a session's packet bucket (on a frozen synthetic clock, so the count is
 * exact), the per-account byte bucket, and the caps on relayed sessions per account and in total.
 */
class RelayQuotaTest {
    @TempDir
    Path dir;

    private static final byte[] HI = "hi".getBytes(StandardCharsets.UTF_8);

    @Test
    void packetsOverTheSessionBucketAreDroppedAndCounted() throws Exception {
        ManualClock clock = new ManualClock();
        RegistryConfig config = new RegistryConfig();
        config.sessionTimeoutNanos = TimeUnit.HOURS.toNanos(1);
        config.relaySessionPacketsPerSecond = 1;
        config.relaySessionPacketBurst = 4;
        try (RelayBed bed = new RelayBed(dir, config, clock).introduce()) {
            RelayLifecycleTest.bothHeard(bed); // two of the four: amy's (no peer address yet) and bob's
            for (int i = 0; i < 4; i++) {
                bed.send(bed.amyUdp, RelayBed.wrap(bed.amyGrant, bed.seal(bed.amySessionKeys(), bed.bobSid, HI)));
            }
            RelayStats s = bed.awaitStats(x -> x.overQuota() == 2);
            assertThat(s.packets()).isEqualTo(3);
            assertThat(RelayBed.receive(bed.bobUdp)).isNotNull();
            assertThat(RelayBed.receive(bed.bobUdp)).isNotNull();
            clock.advance(1, TimeUnit.SECONDS); // one more packet's worth
            byte[] inner = bed.seal(bed.amySessionKeys(), bed.bobSid, HI);
            bed.send(bed.amyUdp, RelayBed.wrap(bed.amyGrant, inner));
            assertThat(RelayBed.receive(bed.bobUdp)).isEqualTo(inner);
            assertThat(bed.fx.server.relayStats().overQuota()).isEqualTo(2);
        }
    }

    @Test
    void bytesOverTheAccountBucketAreDropped() throws Exception {
        ManualClock clock = new ManualClock();
        RegistryConfig config = new RegistryConfig();
        config.sessionTimeoutNanos = TimeUnit.HOURS.toNanos(1);
        config.relayAccountBytesPerSecond = 1;
        config.relayAccountByteBurst = 100; // room for two of amy's 38-byte datagrams, not three
        try (RelayBed bed = new RelayBed(dir, config, clock).introduce()) {
            RelayLifecycleTest.bothHeard(bed);
            bed.send(bed.amyUdp, RelayBed.wrap(bed.amyGrant, bed.seal(bed.amySessionKeys(), bed.bobSid, HI)));
            bed.send(bed.amyUdp, RelayBed.wrap(bed.amyGrant, bed.seal(bed.amySessionKeys(), bed.bobSid, HI)));
            RelayStats s = bed.awaitStats(x -> x.overQuota() == 1);
            assertThat(s.packets()).isEqualTo(2); // bob's and amy's second: amy has spent 76 of 100 bytes, a third 38 do not fit
        }
    }

    @Test
    void anAccountHoldsAtMostItsShareOfRelayedSessions() throws Exception {
        RegistryConfig config = new RegistryConfig();
        config.relayMaxPerAccount = 1;
        try (RelayBed bed = new RelayBed(dir, config, NanoClock.SYSTEM).introduce()) {
            assertThat(bed.amyGrant).isNotNull();
            bed.amySid++;
            bed.bobSid++;
            bed.introduce();
            assertThat(bed.amyGrant).as("over the per-account cap: no grant, the session runs direct").isNull();
            assertThat(bed.bobGrant).isNull();
            RelayStats s = bed.fx.server.relayStats();
            assertThat(s.sessionsCurrent()).isEqualTo(1);
            assertThat(s.refused()).isEqualTo(1);
        }
    }

    @Test
    void aNewerAllocationForTheSameSessionIdsReplacesTheOlder() throws Exception {
        RegistryConfig config = new RegistryConfig();
        config.relayMaxPerAccount = 1;
        try (RelayBed bed = new RelayBed(dir, config, NanoClock.SYSTEM).introduce()) {
            parley.server.protocol.RelayGrant old = bed.amyGrant;
            bed.introduce();
            assertThat(bed.amyGrant).as("the same session ids again: replaced, not refused").isNotNull();
            RelayStats s = bed.fx.server.relayStats();
            assertThat(s.sessionsCurrent()).isEqualTo(1);
            assertThat(s.sessionsTotal()).isEqualTo(2);
            bed.send(bed.amyUdp, RelayBed.wrap(old, bed.seal(bed.amySessionKeys(), bed.bobSid, HI)));
            bed.awaitStats(x -> x.unknownToken() == 1);
        }
    }

    @Test
    void theRelayHoldsAtMostItsTotalOfRelayedSessions() throws Exception {
        RegistryConfig config = new RegistryConfig();
        config.relayMaxSessions = 1;
        try (RelayBed bed = new RelayBed(dir, config, NanoClock.SYSTEM).introduce()) {
            assertThat(bed.amyGrant).isNotNull();
            bed.amySid += 10;
            bed.bobSid += 10;
            bed.introduce();
            assertThat(bed.amyGrant).isNull();
            assertThat(bed.fx.server.relayStats().refused()).isEqualTo(1);
        }
    }
}
