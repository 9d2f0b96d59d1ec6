package parley.server.policy;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;

class LoginThrottleTest {
    private static final long S = 1_000_000_000L;
    private static final LockoutRule ACCOUNT = new LockoutRule(3, 1 * S, 60 * S, 3600 * S, 4);
    private static final LockoutRule ADDRESS = new LockoutRule(10, 1 * S, 60 * S, 3600 * S, 4);

    private static InetAddress addr(int last) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[]{10, 0, 0, (byte) last});
    }

    @Test
    void freeFailuresThenExponentialLockoutPerAccount() throws Exception {
        LoginThrottle t = new LoginThrottle(ACCOUNT, ADDRESS);
        long now = 1000 * S;
        for (int i = 0; i < 3; i++) {
            assertThat(t.allowed("alice", addr(1), now)).isTrue();
            t.onFailure("alice", addr(i + 1), now); // different addresses: only the account counts up
        }
        assertThat(t.retryAfterNanos("alice", addr(9), now)).isZero();
        t.onFailure("alice", addr(9), now);
        assertThat(t.retryAfterNanos("alice", addr(9), now)).isEqualTo(1 * S);
        t.onFailure("alice", addr(9), now);
        assertThat(t.retryAfterNanos("alice", addr(9), now)).isEqualTo(2 * S);
        t.onFailure("alice", addr(9), now);
        assertThat(t.retryAfterNanos("alice", addr(9), now)).isEqualTo(4 * S);
        assertThat(t.allowed("alice", addr(9), now + 4 * S)).isTrue();
        assertThat(t.allowed("bob", addr(9), now)).as("other accounts unaffected").isTrue();
    }

    @Test
    void lockoutIsCappedAtTheMaximum() throws Exception {
        LoginThrottle t = new LoginThrottle(ACCOUNT, ADDRESS);
        long now = 0;
        for (int i = 0; i < 200; i++) {
            t.onFailure("alice", addr(1), now);
        }
        assertThat(t.retryAfterNanos("alice", addr(2), now)).isEqualTo(60 * S);
    }

    @Test
    void perAddressThrottleCatchesSprayingManyNames() throws Exception {
        LoginThrottle t = new LoginThrottle(ACCOUNT, ADDRESS);
        long now = 0;
        for (int i = 0; i < 11; i++) {
            t.onFailure("user" + (i % 3), addr(7), now); // no single name reaches its own limit... mostly
        }
        assertThat(t.allowed("fresh-name", addr(7), now)).isFalse();
        assertThat(t.allowed("fresh-name", addr(8), now)).isTrue();
    }

    @Test
    void unknownAndKnownNamesAreThrottledAlike() throws Exception {
        LoginThrottle t = new LoginThrottle(ACCOUNT, ADDRESS);
        for (int i = 0; i < 4; i++) {
            t.onFailure("exists", addr(1), 0);
            t.onFailure("nobody-has-this", addr(2), 0);
        }
        assertThat(t.retryAfterNanos("exists", addr(3), 0)).isEqualTo(t.retryAfterNanos("nobody-has-this", addr(3), 0));
    }

    @Test
    void successClearsTheAccountButNotTheAddress() throws Exception {
        LoginThrottle t = new LoginThrottle(ACCOUNT, new LockoutRule(1, S, 60 * S, 3600 * S, 4));
        t.onFailure("alice", addr(1), 0);
        t.onFailure("alice", addr(1), 0);
        t.onSuccess("alice");
        assertThat(t.allowed("alice", addr(2), 0)).isTrue();
        assertThat(t.allowed("alice", addr(1), 0)).as("address record kept").isFalse();
    }

    @Test
    void quietKeysAreForgotten() throws Exception {
        LoginThrottle t = new LoginThrottle(ACCOUNT, ADDRESS);
        for (int i = 0; i < 10; i++) {
            t.onFailure("alice", addr(1), 0);
        }
        assertThat(t.allowed("alice", addr(2), 59 * S)).isFalse();
        long later = 3600 * S;
        assertThat(t.allowed("alice", addr(1), later)).isTrue();
        // After forgetting, the count starts again: three free failures.
        for (int i = 0; i < 3; i++) {
            t.onFailure("alice", addr(1), later);
        }
        assertThat(t.allowed("alice", addr(2), later)).isTrue();
    }

    @Test
    void memoryIsBoundedEvictingTheLeastRecentlyFailed() throws Exception {
        LoginThrottle t = new LoginThrottle(ACCOUNT, ADDRESS);
        for (int i = 0; i < 10; i++) {
            t.onFailure("victim", addr(1), 0);
        }
        for (int i = 0; i < 1000; i++) {
            t.onFailure("spray" + i, addr(i % 250), 1);
        }
        assertThat(t.trackedAccounts()).isEqualTo(4);
        assertThat(t.trackedAddresses()).isEqualTo(4);
        assertThat(t.allowed("spray999", addr(200), 1)).isTrue(); // one failure: still free
        assertThat(t.allowed("victim", addr(201), 1)).as("oldest entry was evicted").isTrue();
    }
}
