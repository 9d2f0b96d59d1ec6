package parley.core.reliable;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PathListener#onPunchingEnded}: the signal that a round of hole punching is over, so an
 * application knows the path is settled without waiting out {@link PathProber#DURATION_NANOS} on
 * a real clock. Synthetic time over {@link PathNet}.
 */
class PunchingEndedTest {
    @Test
    void aValidatedDirectPathEndsTheRoundAsDirectAfterItsPathEvent() throws Exception {
        try (PathNet net = new PathNet(PathMigrationTest.config(), true, false, false)) {
            net.run(400, 10);
            assertThat(net.eventsA).containsExactly("direct " + PathNet.B);
            assertThat(net.punchA).containsExactly("direct");
            assertThat(net.punchB).containsExactly("direct");
            net.run(10_000, 100);
            assertThat(net.punchA).containsExactly("direct"); // once per round
        }
    }

    @Test
    void aRoundWithNoAnswerEndsAsGaveUpWhenItsTimeRunsOutAndNotBefore() throws Exception {
        try (PathNet net = new PathNet(PathMigrationTest.config(), true, false, false, false)) {
            net.run(4_900, 10);
            assertThat(net.punchA).isEmpty();
            assertThat(net.on(() -> net.sa.punching())).isTrue();
            net.run(1_000, 10);
            assertThat(net.punchA).containsExactly("gave_up");
            assertThat(net.punchB).containsExactly("gave_up");
            assertThat(net.punchAtA.get(0)).isBetween(5_000L, 5_210L); // at the first slot after the 5 s round
            assertThat(net.on(() -> net.sa.punching())).isFalse();
            assertThat(net.on(() -> net.sa.path().kind())).isEqualTo(SessionPath.Kind.RELAYED);
        }
    }

    @Test
    void aSessionThatNeverPunchesReportsNothingAndSaysItIsNotPunching() throws Exception {
        try (PathNet net = new PathNet(PathMigrationTest.config(), true, true, true)) {
            assertThat(net.on(() -> net.sa.punching())).isFalse();
            net.run(6_000, 100);
            assertThat(net.punchA).isEmpty();
            assertThat(net.punchB).isEmpty();
        }
    }

    @Test
    void aFallbackStartsANewRoundWhichReportsItsOwnEnd() throws Exception {
        try (PathNet net = new PathNet(PathMigrationTest.config(), true, false, false)) {
            net.run(400, 10);
            net.directOpen = false;
            net.send(net.sa, "x");
            net.run(3_000, 10);
            assertThat(net.eventsA).containsExactly("direct " + PathNet.B, "relayed " + PathNet.RELAY);
            net.directOpen = true;
            net.run(1_000, 10);
            assertThat(net.punchA).containsExactly("direct", "direct");
        }
    }
}
