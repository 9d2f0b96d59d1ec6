package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.wire.ErrorCode;
import parley.server.protocol.client.SyncRegistryClient;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behaviours an implementation written from PROTOCOL.md alone had to guess, pinned to what the
 * spec now says: the order of checks, REGISTER in the Session stage, ANNOUNCE_ENDPOINT's host,
 * the errors of UNBLOCK and CONTACT_ACCEPT, and who WHO and SEARCH list.
 */
class SpecBehaviourTest {
    @TempDir
    Path dir;

    @Test
    void registerWhileLoggedInIsRefusedWithAlreadyAuthenticated() throws Exception {
        try (ServerFixture fx = new ServerFixture(dir)) {
            SyncRegistryClient alice = fx.user("alice");
            assertThat(Users.tryRegister(alice, "second", "pw").error).isEqualTo(RegistryErrors.ALREADY_AUTHENTICATED);
            assertThat(Users.search(alice, "second")).as("no account was made").isEmpty();
            // The stage is checked before the body: a malformed REGISTER gets the same answer.
            assertThat(alice.call(RegistryOpcodes.REGISTER, w -> w.u8(1)).error).isEqualTo(RegistryErrors.ALREADY_AUTHENTICATED);
            assertThat(alice.call(RegistryOpcodes.LOGIN_START, w -> w.u8(1)).error).isEqualTo(RegistryErrors.ALREADY_AUTHENTICATED);
        }
    }

    @Test
    void checksRunInTheStatedOrder() throws Exception {
        try (ServerFixture fx = new ServerFixture(dir)) {
            SyncRegistryClient anon = fx.client();
            // 1. unknown opcode, before anything about the stage
            assertThat(anon.call(0x7E).error).isEqualTo(ErrorCode.UNKNOWN_OPCODE);
            // 2. the stage, before the body: a malformed WHO from a stranger is NOT_AUTHENTICATED
            assertThat(anon.call(RegistryOpcodes.WHO, w -> w.u8(1).u8(2)).error).isEqualTo(RegistryErrors.NOT_AUTHENTICATED);
            // 3. the body, once the stage allows the request
            SyncRegistryClient bob = fx.user("bob");
            assertThat(bob.call(RegistryOpcodes.WHO, w -> w.u8(1).u8(2)).error).isEqualTo(ErrorCode.MALFORMED_BODY);
            // a malformed body before login is still MALFORMED_BODY for the pre-login requests
            assertThat(anon.call(RegistryOpcodes.REGISTER, w -> w.u8(1)).error).isEqualTo(ErrorCode.MALFORMED_BODY);
        }
    }

    @Test
    void announceEndpointAcceptsOnlyUnicastIpLiterals() throws Exception {
        try (ServerFixture fx = new ServerFixture(dir)) {
            SyncRegistryClient alice = fx.user("alice");
            for (String bad : new String[] {"not an ip!", "example.com", "", "1.2.3.256", "01.2.3.4", "0.0.0.0", "::",
                    "224.0.0.1", "ff02::1", "fe80::1%eth0", "[::1]", "1.2.3", "::ffff:1.2.3.4", "12345::"}) {
                assertThat(alice.call(RegistryOpcodes.ANNOUNCE_ENDPOINT, w -> w.string(bad).u16(5000)).error)
                        .as("host '%s'", bad).isEqualTo(RegistryErrors.BAD_ENDPOINT);
            }
            for (String good : new String[] {"127.0.0.1", "192.168.1.20", "::1", "2001:db8::7", "fe80::1"}) {
                assertThat(alice.call(RegistryOpcodes.ANNOUNCE_ENDPOINT, w -> w.string(good).u16(5000)).ok())
                        .as("host '%s'", good).isTrue();
            }
            assertThat(alice.call(RegistryOpcodes.ANNOUNCE_ENDPOINT, w -> w.string("127.0.0.1").u16(0)).error)
                    .isEqualTo(RegistryErrors.BAD_ENDPOINT);
        }
    }

    @Test
    void unblockOfSomeoneNotBlockedAndAcceptOfNobodyAreNoSuchUser() throws Exception {
        try (ServerFixture fx = new ServerFixture(dir)) {
            SyncRegistryClient alice = fx.user("alice");
            fx.user("bob");
            assertThat(Users.named(alice, RegistryOpcodes.UNBLOCK, "bob").error).isEqualTo(RegistryErrors.NO_SUCH_USER);
            assertThat(Users.named(alice, RegistryOpcodes.UNBLOCK, "nobody").error).isEqualTo(RegistryErrors.NO_SUCH_USER);
            assertThat(Users.named(alice, RegistryOpcodes.CONTACT_ACCEPT, "nobody").error).isEqualTo(RegistryErrors.NO_SUCH_USER);
            assertThat(Users.named(alice, RegistryOpcodes.CONTACT_ACCEPT, "bob").error).isEqualTo(RegistryErrors.NO_PENDING_REQUEST);
            assertThat(Users.named(alice, RegistryOpcodes.CONTACT_ACCEPT, "alice").error).isEqualTo(RegistryErrors.CANNOT_TARGET_SELF);
        }
    }

    @Test
    void whoLeavesTheCallerOutAndSearchFindsTheCallerToo() throws Exception {
        try (ServerFixture fx = new ServerFixture(dir)) {
            SyncRegistryClient anna = fx.user("anna");
            SyncRegistryClient annabel = fx.user("annabel");
            for (SyncRegistryClient c : new SyncRegistryClient[] {anna, annabel}) {
                assertThat(c.call(RegistryOpcodes.SET_VISIBILITY, w -> w.u8(parley.server.policy.Visibility.EVERYONE.code())).ok()).isTrue();
            }
            assertThat(Users.who(anna)).containsExactly("annabel");
            assertThat(Users.search(anna, "ann")).containsExactly("anna", "annabel");
        }
    }
}
