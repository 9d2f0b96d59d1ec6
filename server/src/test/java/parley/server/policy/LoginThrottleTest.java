package parley.server.policy;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** The throttle's rules on synthetic time; the attacks over real sockets are in LoginAttackTest. */
class LoginThrottleTest {
    private static final long S = 1_000_000_000L;
    private static final LockoutRule PAIR = new LockoutRule(3, 1 * S, 60 * S, 3600 * S, 1000);
    private static final LockoutRule NETWORK = new LockoutRule(10, 1 * S, 60 * S, 3600 * S, 1000);
    private static final LockoutRule NAME = new LockoutRule(20, 1 * S, 60 * S, 3600 * S, 1000);
    private static final long TIMEOUT = 5 * S;

    private static LoginThrottle throttle() {
        return new LoginThrottle(PAIR, NETWORK, NAME, TIMEOUT, 4);
    }

    private static String net(int n) {
        return "4:10.0." + n;
    }

    /** One whole failed attempt: start, finish, the proof is wrong. True if the proof was checked. */
    private static boolean fail(LoginThrottle t, String name, String network, long now) {
        if (t.lockedFor(name, network, now) > 0 || t.busyFor(name, network, now) > 0) {
            return false;
        }
        return t.finish(t.begin(name, network, now), now) == LoginThrottle.EVALUATE;
    }

    private static boolean succeed(LoginThrottle t, String name, String network, long now) {
        if (t.lockedFor(name, network, now) > 0 || t.busyFor(name, network, now) > 0) {
            return false;
        }
        LoginThrottle.Attempt a = t.begin(name, network, now);
        if (t.finish(a, now) != LoginThrottle.EVALUATE) {
            return false;
        }
        t.succeeded(a);
        return true;
    }

    @Test
    void prefixesAreSlash24AndSlash64() throws Exception {
        assertThat(AddressPrefix.of(InetAddress.getByName("10.1.2.3"))).isEqualTo(AddressPrefix.of(InetAddress.getByName("10.1.2.200")));
        assertThat(AddressPrefix.of(InetAddress.getByName("10.1.2.3"))).isNotEqualTo(AddressPrefix.of(InetAddress.getByName("10.1.3.3")));
        assertThat(AddressPrefix.of(InetAddress.getByName("::ffff:10.1.2.3"))).isEqualTo(AddressPrefix.of(InetAddress.getByName("10.1.2.9")));
        assertThat(AddressPrefix.of(InetAddress.getByName("2001:db8:0:1::1"))).isEqualTo(AddressPrefix.of(InetAddress.getByName("2001:db8:0:1:ffff::2")));
        assertThat(AddressPrefix.of(InetAddress.getByName("2001:db8:0:1::1"))).isNotEqualTo(AddressPrefix.of(InetAddress.getByName("2001:db8:0:2::1")));
    }

    @Test
    void freeFailuresThenExponentialLockoutPerNameAndNetwork() {
        LoginThrottle t = throttle();
        long now = 1000 * S;
        for (int i = 0; i < 4; i++) {
            assertThat(fail(t, "alice", net(1), now)).isTrue();
        }
        assertThat(t.lockedFor("alice", net(1), now)).isEqualTo(1 * S);
        assertThat(fail(t, "alice", net(1), now + S)).isTrue();
        assertThat(t.lockedFor("alice", net(1), now + S)).isEqualTo(2 * S);
        assertThat(t.lockedFor("alice", net(2), now)).as("the owner's other network is not locked").isZero();
        assertThat(t.lockedFor("bob", net(1), now)).as("other names unaffected").isZero();
    }

    @Test
    void aStartedAttemptThatIsNeverFinishedCountsAsAFailure() {
        LoginThrottle t = throttle();
        long now = 0;
        for (int i = 0; i < 4; i++) {
            t.abandon(t.begin("alice", net(1), now), now);
        }
        assertThat(t.lockedFor("alice", net(1), now)).isPositive();
    }

    @Test
    void oneOpenAttemptPerNameAndNetworkAndAFewPerNetwork() {
        LoginThrottle t = throttle();
        long now = 0;
        t.begin("alice", net(1), now);
        assertThat(t.busyFor("alice", net(1), now)).isEqualTo(TIMEOUT);
        assertThat(t.busyFor("alice", net(2), now)).isZero();
        t.begin("b", net(1), now);
        t.begin("c", net(1), now);
        t.begin("d", net(1), now);
        assertThat(t.busyFor("e", net(1), now + S)).as("four open from one network").isEqualTo(TIMEOUT - S);
        assertThat(t.openAttempts()).isEqualTo(4);
    }

    @Test
    void anAttemptExpiresAsAFailureAndCannotBeFinishedLate() {
        LoginThrottle t = throttle();
        LoginThrottle.Attempt late = t.begin("alice", net(1), 0);
        assertThat(t.busyFor("alice", net(1), TIMEOUT)).as("the slot is free once the attempt expired").isZero();
        assertThat(t.finish(late, TIMEOUT)).isEqualTo(LoginThrottle.EXPIRED);
        LoginThrottle.Attempt slow = t.begin("bob", net(1), 10 * S);
        assertThat(t.finish(slow, 10 * S + TIMEOUT)).isEqualTo(LoginThrottle.EXPIRED);
        for (int i = 0; i < 3; i++) {
            assertThat(fail(t, "alice", net(1), 20 * S)).isTrue();
        }
        assertThat(t.lockedFor("alice", net(1), 20 * S)).as("the expired attempt was the fourth failure").isPositive();
    }

    @Test
    void aLockoutImposedAfterTheStartStopsTheFinish() {
        LoginThrottle t = throttle();
        long now = 0;
        LoginThrottle.Attempt held = t.begin("alice", net(1), now);
        for (int n = 2; n <= 22; n++) {
            fail(t, "alice", net(n), now); // 21 networks, one failure each: the name locks
        }
        assertThat(t.finish(held, now)).as("held attempt is not evaluated").isPositive();
    }

    @Test
    void pipelinedGuessesFromOneNetworkStopAtItsLimit() {
        LoginThrottle t = throttle();
        long now = 0;
        LoginThrottle.Attempt[] open = new LoginThrottle.Attempt[60];
        int started = 0;
        int evaluated = 0;
        for (int round = 0; round < 15; round++) {
            for (int i = 0; i < 60; i++) {
                String name = "user" + i;
                if (open[i] == null && t.lockedFor(name, net(1), now) == 0 && t.busyFor(name, net(1), now) == 0) {
                    open[i] = t.begin(name, net(1), now);
                    started++;
                }
            }
            for (int i = 0; i < 60; i++) {
                if (open[i] != null) {
                    evaluated += t.finish(open[i], now) == LoginThrottle.EVALUATE ? 1 : 0;
                    open[i] = null;
                }
            }
        }
        assertThat(started).isPositive();
        assertThat(evaluated).as("10 free failures, the 11th locks").isEqualTo(11);
    }

    @Test
    void aKnownNetworkGetsThroughWhileTheNameIsUnderAttackFromElsewhere() {
        LoginThrottle t = throttle();
        long now = 0;
        assertThat(succeed(t, "alice", net(1), now)).isTrue();
        for (int n = 2; n <= 40; n++) {
            fail(t, "alice", net(n), now);
        }
        assertThat(t.lockedFor("alice", net(99), now)).as("strangers are locked out of the name").isPositive();
        assertThat(succeed(t, "alice", net(1), now)).as("the owner's known network is not").isTrue();
    }

    @Test
    void aSuccessTakesBackItsChargeButDoesNotClearTheNetwork() {
        LoginThrottle t = throttle();
        long now = 0;
        for (int i = 0; i < 10; i++) {
            fail(t, "user" + i, net(1), now);
        }
        assertThat(succeed(t, "mine", net(1), now)).isTrue();
        assertThat(t.lockedFor("x", net(1), now)).as("ten failures, a success: no lock yet").isZero();
        assertThat(fail(t, "y", net(1), now)).isTrue();
        assertThat(t.lockedFor("x", net(1), now)).as("the success did not reset the network's count").isPositive();
    }

    @Test
    void unknownAndKnownNamesAreThrottledAlike() {
        LoginThrottle t = throttle();
        for (int i = 0; i < 4; i++) {
            fail(t, "alice", net(1), 0);
            fail(t, "no-such-user", net(2), 0);
        }
        assertThat(t.lockedFor("alice", net(1), 0)).isEqualTo(t.lockedFor("no-such-user", net(2), 0));
    }
}
