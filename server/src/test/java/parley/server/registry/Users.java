package parley.server.registry;

import parley.core.wire.BodyReader;
import parley.core.wire.Header;
import parley.core.wire.MessageClass;
import parley.server.protocol.scram.ScramClient;
import parley.server.auth.ScramCredentials;
import parley.server.protocol.client.SyncRegistryClient;
import parley.server.protocol.client.SyncRegistryClient.Answer;
import parley.server.protocol.client.SyncRegistryClient.Push;
import parley.server.protocol.ProbeMac;
import parley.server.protocol.RegistryOpcodes;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Protocol steps the tests repeat: registering, SCRAM login, contacts, lists and probes. */
final class Users {
    private static final SecureRandom RANDOM = new SecureRandom();
    // One salt for all test users: PBKDF2 then runs once per password, not once per call.
    private static final byte[] SALT = new byte[16];
    private static final Map<String, ScramCredentials> DERIVED = new ConcurrentHashMap<>();
    private static final Map<SyncRegistryClient, ProbeSender> TOKENS = new ConcurrentHashMap<>();

    private Users() {
    }

    static final class Login {
        final long probeId;
        final String name;
        final int visibility;

        Login(long probeId, String name, int visibility) {
            this.probeId = probeId;
            this.name = name;
            this.visibility = visibility;
        }
    }

    static Answer tryRegister(SyncRegistryClient c, String name, String password) throws Exception {
        ScramCredentials k = DERIVED.computeIfAbsent(password, p -> ScramCredentials.derive(p, SALT, 4096));
        return c.call(RegistryOpcodes.REGISTER, w -> w.string(name).bytes(k.salt()).i32(k.iterations())
                .bytes(k.storedKey()).bytes(k.serverKey()));
    }

    static void register(SyncRegistryClient c, String name, String password) throws Exception {
        Answer a = tryRegister(c, name, password);
        assertThat(a.ok()).as("register %s: %s", name, a).isTrue();
    }

    /** Runs the SCRAM exchange; returns the failing answer, or an OK answer after success. */
    static Answer tryLogin(SyncRegistryClient c, String name, String password) throws Exception {
        ScramClient scram = new ScramClient(name, password, ScramClient.newNonce(RANDOM), c.channelBinding());
        String first = scram.clientFirst();
        Answer start = c.call(RegistryOpcodes.LOGIN_START, w -> w.string(first));
        if (!start.ok()) {
            return start;
        }
        String serverFirst = start.body().string(1024);
        String clientFinal = scram.clientFinal(serverFirst);
        Answer finish = c.call(RegistryOpcodes.LOGIN_FINISH, w -> w.string(clientFinal));
        if (finish.ok()) {
            BodyReader r = finish.body();
            scram.verifyServerFinal(r.string(1024));
            long id = r.i64();
            byte[] key = new byte[ProbeMac.KEY_BYTES];
            r.fixed(key);
            TOKENS.put(c, new ProbeSender(id, key));
        }
        return finish;
    }

    static Login login(SyncRegistryClient c, String name, String password) throws Exception {
        Answer a = tryLogin(c, name, password);
        assertThat(a.ok()).as("login %s: %s", name, a).isTrue();
        BodyReader r = a.body();
        r.string(1024);
        long id = r.i64();
        r.fixed(new byte[ProbeMac.KEY_BYTES]);
        return new Login(id, r.string(32), r.u8());
    }

    /** The probe id and key of {@code c}'s last login. */
    static ProbeSender lastToken(SyncRegistryClient c) {
        return TOKENS.get(c);
    }

    static Answer named(SyncRegistryClient c, int opcode, String name) throws Exception {
        return c.call(opcode, w -> w.string(name));
    }

    static void makeContacts(SyncRegistryClient a, String aName, SyncRegistryClient b, String bName) throws Exception {
        assertThat(named(a, RegistryOpcodes.CONTACT_REQUEST, bName).ok()).isTrue();
        assertThat(named(b, RegistryOpcodes.CONTACT_ACCEPT, aName).ok()).isTrue();
        // A round trip on each connection: every push the accept caused is queued before its answer.
        a.call(RegistryOpcodes.HEARTBEAT, w -> w.u8(1));
        b.call(RegistryOpcodes.HEARTBEAT, w -> w.u8(1));
        a.pushes().clear();
        b.pushes().clear();
    }

    static final class ContactList {
        final List<String> contacts = new ArrayList<>();
        final List<Integer> states = new ArrayList<>();
        final List<String> incoming = new ArrayList<>();
        final List<String> outgoing = new ArrayList<>();
        final List<String> blocked = new ArrayList<>();
    }

    static ContactList contacts(SyncRegistryClient c) throws Exception {
        Answer a = c.call(RegistryOpcodes.CONTACTS);
        assertThat(a.ok()).as("CONTACTS: %s", a).isTrue();
        BodyReader r = a.body();
        ContactList out = new ContactList();
        for (int n = r.u16(); n > 0; n--) {
            out.contacts.add(r.string(32));
            out.states.add(r.u8());
            r.i64();
        }
        for (List<String> list : List.of(out.incoming, out.outgoing, out.blocked)) {
            for (int n = r.u16(); n > 0; n--) {
                list.add(r.string(32));
            }
        }
        r.end();
        return out;
    }

    /** Names in a WHO or SEARCH answer. */
    static List<String> names(Answer a) {
        assertThat(a.ok()).as("list answer: %s", a).isTrue();
        BodyReader r = a.body();
        List<String> out = new ArrayList<>();
        for (int n = r.u16(); n > 0; n--) {
            out.add(r.string(32));
            r.u8();
            r.i64();
        }
        r.end();
        return out;
    }

    static List<String> who(SyncRegistryClient c) throws Exception {
        return names(c.call(RegistryOpcodes.WHO));
    }

    static List<String> search(SyncRegistryClient c, String prefix) throws Exception {
        return names(c.call(RegistryOpcodes.SEARCH, w -> w.string(prefix)));
    }

    /** Waits for a PRESENCE push about {@code name} and returns its state. */
    static int nextPresence(SyncRegistryClient c, String name) throws Exception {
        while (true) {
            Push p = c.awaitPush(RegistryOpcodes.PRESENCE, 10, TimeUnit.SECONDS);
            assertThat(p).as("a PRESENCE push about %s", name).isNotNull();
            BodyReader r = p.body();
            if (r.string(32).equals(name)) {
                return r.u8();
            }
        }
    }

    static byte[] key(int seed) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) seed);
        return k;
    }

    static ByteBuffer confirm(ProbeSender token, long challengeHi, long challengeLo) {
        return token.confirm(challengeHi, challengeLo);
    }

    static ByteBuffer probeDatagram(ProbeSender token) {
        return token.probe();
    }

    /** Waits up to 10 s for one datagram on {@code ch} (registered with {@code sel}) and returns it. */
    static ByteBuffer receive(DatagramChannel ch, Selector sel) throws Exception {
        assertThat(sel.select(10_000)).as("a datagram from the registry").isPositive();
        sel.selectedKeys().clear();
        ByteBuffer in = ByteBuffer.allocate(200);
        ch.receive(in);
        return in.flip();
    }

    /**
     * Sends a UDP probe made with the login's key from a fresh socket, answers the registry's challenge from
     * it and returns the source port the registry then reported.
     */
    static int probe(InetSocketAddress registryUdp, ProbeSender token) throws Exception {
        try (DatagramChannel ch = DatagramChannel.open(); Selector sel = Selector.open()) {
            ch.bind(new InetSocketAddress("127.0.0.1", 0));
            ch.configureBlocking(false);
            ch.register(sel, SelectionKey.OP_READ);
            ch.send(token.probe(), registryUdp);
            ByteBuffer challenge = receive(ch, sel);
            assertThat(new Header().wrap(challenge, 0).opcode()).isEqualTo(RegistryOpcodes.PROBE_CHALLENGE);
            ch.send(token.confirm(challenge.getLong(Header.LENGTH), challenge.getLong(Header.LENGTH + 8)), registryUdp);
            ByteBuffer in = receive(ch, sel);
            Header h = new Header().wrap(in, 0);
            assertThat(h.opcode()).isEqualTo(RegistryOpcodes.PROBE_CONFIRM);
            BodyReader r = new BodyReader().wrap(in, Header.LENGTH, (int) h.bodyLength());
            assertThat(r.string(64)).isEqualTo("127.0.0.1");
            int port = r.u16();
            assertThat(port).isEqualTo(((InetSocketAddress) ch.getLocalAddress()).getPort());
            return port;
        }
    }

    /** Sends a probe with a made-up token; true if anything came back within a second. */
    static boolean probeWithBadToken(InetSocketAddress registryUdp) throws Exception {
        try (DatagramChannel ch = DatagramChannel.open(); Selector sel = Selector.open()) {
            ch.bind(new InetSocketAddress("127.0.0.1", 0));
            ch.configureBlocking(false);
            ch.register(sel, SelectionKey.OP_READ);
            ch.send(new ProbeSender(12345L, key(7)).probe(), registryUdp);
            return sel.select(1000) > 0;
        }
    }
}
