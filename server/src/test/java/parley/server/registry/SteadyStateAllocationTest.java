package parley.server.registry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.server.protocol.client.RegistryClient;
import parley.server.protocol.client.SyncRegistryClient;
import parley.server.protocol.RegistryOpcodes;

import parley.core.loop.ManualClock;
import parley.core.wire.Header;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The architecture rule "hot paths allocate nothing in steady state", checked where it matters:
 * the bytes the registry's loop thread allocates (its own counter, exact, no timing) while it
 * answers each request a peer can repeat in steady state: HEARTBEAT, SEARCH and WHO all day,
 * LOOKUP_ENDPOINT before every session with another peer, CONTACTS at each login, and the UDP_PROBE
 * that goes with every heartbeat. (The others
 * change state, and so allocate what they store: an account, a contact, an invitation.)
 *
 * <p>The allowance per request covers the JDK, not Parley: the selector boxes a file descriptor
 * above 127 into an {@code Integer} for each ready key (16 bytes per wake-up, and here every
 * request is its own wake-up). Before they were made allocation-free, a SEARCH cost 352 bytes (no
 * match) to 513 bytes (two matches) and a WHO 150 bytes here; a LOOKUP_ENDPOINT cost 376 bytes
 * (the name read as a String, its key, the observed address formatted anew each time) and a
 * CONTACTS 144 (an iterator per pending-request and block set); a UDP_PROBE 136 (the confirmed
 * address formatted anew for each answer).
 */
class SteadyStateAllocationTest {
    private static final int WARMUP = 3_000;
    private static final int MEASURED = 3_000;
    private static final double ALLOWED_BYTES_PER_REQUEST = 20;

    @TempDir
    Path dir;
    ServerFixture fx;
    long loopThread;
    /** Time moves only when a test moves it: no lease runs out while a test measures. */
    final ManualClock clock = new ManualClock();

    @BeforeEach
    void start() throws Exception {
        RegistryConfig config = new RegistryConfig();
        config.requestsPerSecond = 1_000_000;
        config.requestBurst = 1_000_000;
        // Plaintext: this measures the registry's own code; the JDK's SSLEngine allocates per record
        // (nio-core's TlsAllocationTest bounds that part).
        fx = new ServerFixture(dir, ServerFixture.manyUsers(config), clock, false);
        CompletableFuture<Long> id = new CompletableFuture<>();
        fx.server.loop().execute(() -> id.complete(Thread.currentThread().getId()));
        loopThread = id.get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void everySteadyStateRequestAllocatesNothingOnTheLoop() throws Exception {
        SyncRegistryClient amy = fx.user("amy");
        SyncRegistryClient bob = fx.user("bob");
        SyncRegistryClient bea = fx.user("Bea");
        SyncRegistryClient carol = fx.user("carol");
        SyncRegistryClient dan = fx.user("dan");
        // bob and Bea are public, carol is amy's contact: WHO walks both the public list and the
        // contacts, and SEARCH "b" finds two names, one of them written in upper case.
        assertThat(bob.call(RegistryOpcodes.SET_VISIBILITY, w -> w.u8(0)).ok()).isTrue();
        assertThat(bea.call(RegistryOpcodes.SET_VISIBILITY, w -> w.u8(0)).ok()).isTrue();
        Users.makeContacts(amy, "amy", carol, "carol");
        assertThat(Users.who(amy)).containsExactlyInAnyOrder("bob", "Bea", "carol");
        assertThat(Users.search(amy, "B")).containsExactly("Bea", "bob");

        double heartbeat = bytesPerRequest(amy, RegistryOpcodes.HEARTBEAT, w -> w.u8(1));
        double search = bytesPerRequest(amy, RegistryOpcodes.SEARCH, w -> w.string("B"));
        double searchMiss = bytesPerRequest(amy, RegistryOpcodes.SEARCH, w -> w.string("zed"));
        double who = bytesPerRequest(amy, RegistryOpcodes.WHO, w -> { });
        // bob is public and has announced an endpoint and had one observed by a confirmed probe.
        assertThat(bob.call(RegistryOpcodes.ANNOUNCE_ENDPOINT, w -> w.string("192.0.2.7").u16(4000)).ok()).isTrue();
        Users.probe(fx.server.udpAddress(), Users.lastToken(bob));
        double lookup = bytesPerRequest(amy, RegistryOpcodes.LOOKUP_ENDPOINT, w -> w.string("Bob"));
        // dan has a contact, an incoming and an outgoing request and a block: every list of CONTACTS.
        Users.makeContacts(dan, "dan", amy, "amy");
        assertThat(Users.named(bea, RegistryOpcodes.CONTACT_REQUEST, "dan").ok()).isTrue();
        assertThat(Users.named(dan, RegistryOpcodes.CONTACT_REQUEST, "carol").ok()).isTrue();
        assertThat(Users.named(dan, RegistryOpcodes.BLOCK, "bob").ok()).isTrue();
        double contacts = bytesPerRequest(dan, RegistryOpcodes.CONTACTS, w -> { });
        System.out.printf("loop bytes per request: heartbeat %.1f, search %.1f, search (no match) %.1f, who %.1f,"
                + " lookup %.1f, contacts %.1f%n", heartbeat, search, searchMiss, who, lookup, contacts);
        assertThat(heartbeat).as("HEARTBEAT bytes per request").isLessThan(ALLOWED_BYTES_PER_REQUEST);
        assertThat(search).as("SEARCH bytes per request").isLessThan(ALLOWED_BYTES_PER_REQUEST);
        assertThat(searchMiss).as("SEARCH (no match) bytes per request").isLessThan(ALLOWED_BYTES_PER_REQUEST);
        assertThat(who).as("WHO bytes per request").isLessThan(ALLOWED_BYTES_PER_REQUEST);
        assertThat(lookup).as("LOOKUP_ENDPOINT bytes per request").isLessThan(ALLOWED_BYTES_PER_REQUEST);
        assertThat(contacts).as("CONTACTS bytes per request").isLessThan(ALLOWED_BYTES_PER_REQUEST);
    }

    @Test
    void aProbeFromTheConfirmedAddressAllocatesNothingOnTheLoop() throws Exception {
        SyncRegistryClient amy = fx.user("amy");
        ProbeSender token = Users.lastToken(amy);
        try (DatagramChannel ch = DatagramChannel.open(); Selector sel = Selector.open()) {
            ch.bind(new InetSocketAddress("127.0.0.1", 0));
            ch.configureBlocking(false);
            ch.register(sel, SelectionKey.OP_READ);
            InetSocketAddress registry = fx.server.udpAddress();
            ch.send(Users.probeDatagram(token), registry);
            ByteBuffer challenge = Users.receive(ch, sel);
            ch.send(Users.confirm(token, challenge.getLong(Header.LENGTH), challenge.getLong(Header.LENGTH + 8)), registry);
            assertThat(new Header().wrap(Users.receive(ch, sel), 0).opcode()).isEqualTo(RegistryOpcodes.PROBE_CONFIRM);
            // Probes are limited to one a second per session: the clock moves a second before each.
            for (int i = 0; i < WARMUP; i++) {
                probe(ch, sel, token);
            }
            long before = allocated();
            for (int i = 0; i < MEASURED; i++) {
                probe(ch, sel, token);
            }
            double probe = (allocated() - before) / (double) MEASURED;
            System.out.printf("loop bytes per UDP_PROBE: %.1f%n", probe);
            assertThat(probe).as("UDP_PROBE bytes per probe").isLessThan(ALLOWED_BYTES_PER_REQUEST);
        }
    }

    private void probe(DatagramChannel ch, Selector sel, ProbeSender token) throws Exception {
        clock.advance(1, TimeUnit.SECONDS);
        ch.send(Users.probeDatagram(token), fx.server.udpAddress());
        assertThat(new Header().wrap(Users.receive(ch, sel), 0).opcode()).isEqualTo(RegistryOpcodes.UDP_PROBE);
    }

    private double bytesPerRequest(SyncRegistryClient c, int opcode, RegistryClient.Body body) throws Exception {
        for (int i = 0; i < WARMUP; i++) {
            assertThat(c.call(opcode, body).ok()).isTrue();
        }
        long before = allocated();
        for (int i = 0; i < MEASURED; i++) {
            c.call(opcode, body);
        }
        return (allocated() - before) / (double) MEASURED;
    }

    private long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getThreadAllocatedBytes(loopThread);
    }
}
