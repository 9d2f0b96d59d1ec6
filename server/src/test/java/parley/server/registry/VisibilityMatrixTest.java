package parley.server.registry;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import parley.core.wire.BodyReader;
import parley.server.protocol.client.SyncRegistryClient;
import parley.server.policy.Visibility;
import parley.server.protocol.client.SyncRegistryClient.Answer;
import parley.server.protocol.client.SyncRegistryClient.Push;
import parley.server.protocol.PresenceState;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every pair of viewer relation and target visibility, online and offline, through every path
 * that discloses anything: WHO, SEARCH, CONTACTS, PRESENCE pushes, LOOKUP_ENDPOINT, PEER_CONNECT
 * and CONTACT_REQUEST. A hidden user must answer exactly like an offline one, and a user who
 * blocked the viewer exactly like one who does not exist.
 */
class VisibilityMatrixTest {
    enum Relation { STRANGER, CONTACT, BLOCKED_BY_TARGET }

    @TempDir
    static Path dir;
    static ServerFixture fx;
    static final AtomicInteger SEQ = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        fx = new ServerFixture(dir);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    static Stream<Arguments> matrix() {
        List<Arguments> all = new ArrayList<>();
        for (Relation rel : Relation.values()) {
            for (Visibility vis : Visibility.values()) {
                for (boolean online : new boolean[] {true, false}) {
                    boolean visible = online && rel != Relation.BLOCKED_BY_TARGET
                            && (vis == Visibility.EVERYONE || vis == Visibility.CONTACTS && rel == Relation.CONTACT);
                    all.add(Arguments.of(rel, vis, online, visible));
                }
            }
        }
        return all.stream();
    }

    /** Replaces the target's name so answers about different targets can be compared. */
    static String anonymous(Answer a, String name) {
        return a.error + ":" + (a.reason == null ? "" : a.reason.replace(name, "<target>"));
    }

    static String offlineAnswerShape;

    @ParameterizedTest(name = "{0} viewing a target with visibility {1}, online={2} -> visible={3}")
    @MethodSource("matrix")
    void enforcedOnEveryPath(Relation rel, Visibility visibility, boolean online, boolean visible) throws Exception {
        int n = SEQ.incrementAndGet();
        String viewerName = "viewer" + n;
        String targetName = "target" + n;
        SyncRegistryClient viewer = fx.user(viewerName);
        SyncRegistryClient target = fx.user(targetName);
        if (rel == Relation.CONTACT) {
            Users.makeContacts(viewer, viewerName, target, targetName);
        }
        if (rel == Relation.BLOCKED_BY_TARGET) {
            assertThat(Users.named(target, RegistryOpcodes.BLOCK, viewerName).ok()).isTrue();
        }
        assertThat(viewer.call(RegistryOpcodes.ANNOUNCE_ENDPOINT, w -> w.string("127.0.0.1").u16(4001)).ok()).isTrue();
        assertThat(target.call(RegistryOpcodes.SET_VISIBILITY, w -> w.u8(visibility.code())).ok()).isTrue();
        assertThat(target.call(RegistryOpcodes.ANNOUNCE_ENDPOINT, w -> w.string("127.0.0.1").u16(4000)).ok()).isTrue();
        // Log the target out and back in (or not), so presence pushes for this change can be checked.
        assertThat(target.call(RegistryOpcodes.LOGOUT).ok()).isTrue();
        viewer.call(RegistryOpcodes.WHO); // flush pushes caused so far
        viewer.pushes().clear();
        if (online) {
            Users.login(target, targetName, "pw-" + targetName);
            assertThat(target.call(RegistryOpcodes.ANNOUNCE_ENDPOINT, w -> w.string("127.0.0.1").u16(4000)).ok()).isTrue();
        }

        // WHO: listed only when visible. Its answer comes after any push the login caused.
        assertThat(Users.who(viewer).contains(targetName)).as("WHO lists target").isEqualTo(visible);

        // PRESENCE push: a contact hears of the login only if it may see it.
        boolean pushed = false;
        for (Push p; (p = viewer.pushes().poll()) != null; ) {
            if (p.opcode == RegistryOpcodes.PRESENCE) {
                BodyReader r = p.body();
                pushed |= r.string(32).equals(targetName) && r.u8() != PresenceState.OFFLINE;
            }
        }
        assertThat(pushed).as("online PRESENCE pushed").isEqualTo(visible && rel == Relation.CONTACT);

        // SEARCH: absent when blocked, else present with presence as allowed.
        Answer search = viewer.call(RegistryOpcodes.SEARCH, w -> w.string(targetName));
        List<String> found = Users.names(search);
        assertThat(found.contains(targetName)).as("SEARCH finds target").isEqualTo(rel != Relation.BLOCKED_BY_TARGET);
        if (!found.isEmpty()) {
            BodyReader r = search.body();
            r.u16();
            r.string(32);
            assertThat(r.u8() != PresenceState.OFFLINE).as("SEARCH shows presence").isEqualTo(visible);
            boolean canSee = rel != Relation.BLOCKED_BY_TARGET
                    && (visibility == Visibility.EVERYONE || visibility == Visibility.CONTACTS && rel == Relation.CONTACT);
            assertThat(r.i64() != 0).as("SEARCH shows last seen").isEqualTo(canSee);
        }

        // CONTACTS: a contact's entry shows presence only when visible.
        if (rel == Relation.CONTACT) {
            Users.ContactList cl = Users.contacts(viewer);
            assertThat(cl.contacts).containsExactly(targetName);
            assertThat(cl.states.get(0) != PresenceState.OFFLINE).isEqualTo(visible);
        }

        // LOOKUP_ENDPOINT and PEER_CONNECT: hidden reads as offline; blocked reads as nonexistent.
        Answer lookup = Users.named(viewer, RegistryOpcodes.LOOKUP_ENDPOINT, targetName);
        Answer connect = viewer.call(RegistryOpcodes.PEER_CONNECT, w -> w.string(targetName).i64(1L).fixed(Users.key(3)).u8(0).u8(0));
        Answer ghostLookup = Users.named(viewer, RegistryOpcodes.LOOKUP_ENDPOINT, "ghost" + n);
        if (visible) {
            assertThat(lookup.ok()).isTrue();
            assertThat(connect.ok()).isTrue();
        } else if (rel == Relation.BLOCKED_BY_TARGET) {
            assertThat(anonymous(lookup, targetName)).isEqualTo(anonymous(ghostLookup, "ghost" + n));
            assertThat(connect.error).isEqualTo(RegistryErrors.NO_SUCH_USER);
        } else {
            assertThat(lookup.error).isEqualTo(RegistryErrors.PEER_UNAVAILABLE);
            assertThat(connect.error).isEqualTo(RegistryErrors.PEER_UNAVAILABLE);
            String shape = anonymous(lookup, targetName) + "|" + anonymous(connect, targetName);
            synchronized (VisibilityMatrixTest.class) {
                if (offlineAnswerShape == null) {
                    offlineAnswerShape = shape;
                }
                assertThat(shape).as("hidden and offline answer alike").isEqualTo(offlineAnswerShape);
            }
        }

        // MAIL_DEPOSIT over the wire: contacts only; a stranger or a blocked sender gets what a
        // name nobody owns gets, whatever the target's visibility or presence.
        Answer mail = viewer.call(RegistryOpcodes.MAIL_DEPOSIT, new parley.server.protocol.MailDeposit(targetName, n, new byte[] {7})::encode);
        Answer ghostMail = viewer.call(RegistryOpcodes.MAIL_DEPOSIT,
                new parley.server.protocol.MailDeposit("ghost" + n, n, new byte[] {7})::encode);
        if (rel == Relation.CONTACT) {
            assertThat(mail.ok()).as("a contact's deposit: %s", mail).isTrue();
        } else {
            assertThat(anonymous(mail, targetName)).isEqualTo(anonymous(ghostMail, "ghost" + n));
            assertThat(mail.error).isEqualTo(RegistryErrors.NO_SUCH_USER);
        }

        // CONTACT_REQUEST: a target who blocked you cannot be asked, like a name nobody has.
        if (rel != Relation.CONTACT) {
            Answer req = Users.named(viewer, RegistryOpcodes.CONTACT_REQUEST, targetName);
            Answer ghost = Users.named(viewer, RegistryOpcodes.CONTACT_REQUEST, "ghost" + n);
            if (rel == Relation.BLOCKED_BY_TARGET) {
                assertThat(anonymous(req, targetName)).isEqualTo(anonymous(ghost, "ghost" + n));
            } else {
                assertThat(req.ok()).isTrue();
            }
        }
    }
}
