package parley.peer.core;

import parley.peer.net.Faults;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Settings of one peer; PeerMain fills them from the command line, tests and the demo directly. */
public final class PeerConfig {
    public InetSocketAddress server = new InetSocketAddress("127.0.0.1", 7400);
    /**
     * Cluster mode ({@code --server a,b,c}): the registry nodes to use, in order. {@link #server}
     * is the one in use; when it is unreachable or the connection dies, the link moves to the next
     * (PROTOCOL.md 7.13). Empty: {@link #server} alone.
     */
    public java.util.List<InetSocketAddress> servers = java.util.List.of();
    /** The registry's UDP probe port; 0 means the same number as its TCP port. */
    public int registryUdpPort;
    public Path dataDir = Path.of(System.getProperty("user.home"), ".parley");
    public int udpPort;
    /** The host announced to the registry as this peer's UDP address; null picks the route to the server. */
    public String announceHost;
    /**
     * Accept chat-session requests from contacts without asking: both people consented when they
     * became contacts, and a session starts on the relay, which reveals no address. Off with
     * {@code --confirm-sessions}, for those who want the old prompt.
     */
    public boolean autoAcceptContacts = true;
    /**
     * Relay only ({@code --no-direct}): no candidates sent, no punching, no direct path, so no
     * contact learns this peer's address from a chat; every message goes through the registry's
     * relay (slower, and the relay operator sees who talks to whom and how much, never what).
     */
    public boolean noDirect;
    /** Hold sending to a contact whose identity changed until the user confirms it (/verify user confirm). */
    public boolean strictIdentity;
    /** Chat sessions open at once at most (one per user; a new one with a user replaces the old). */
    public int maxSessions = 64;
    public long reconnectBaseNanos = TimeUnit.MILLISECONDS.toNanos(200);
    public long reconnectMaxNanos = TimeUnit.SECONDS.toNanos(10);
    /** Until the registry tells us its lease, assume its default. */
    public long defaultLeaseNanos = TimeUnit.SECONDS.toNanos(15);
    public long jitterSeed = System.nanoTime();
    public Faults faults = Faults.NONE;
    /** The largest chat message text in UTF-8 bytes, sent or received; the channel fragments it into datagrams. */
    public int maxMessageBytes = 16 * 1024;
    /** Where received files go ({@code --downloads}); null: {@code <dataDir>/downloads}. */
    public Path downloads;
    /** The largest file accepted ({@code --max-file-size}); a larger offer is declined as too large. */
    public long maxFileBytes = 1L << 40;
    /** The largest datagram path-MTU probing may raise a direct path to ({@code --max-datagram}, PROTOCOL.md 9.8); 1200: off. */
    public int maxDatagram = parley.core.reliable.ReliableConfig.MAX_UDP_PAYLOAD;
    public String name = "peer";
    /** PBKDF2 iterations for a new registration: the registry's default (see ScramKeys); tests lower it. */
    public int scramIterations = parley.server.protocol.scram.ScramKeys.DEFAULT_ITERATIONS;

    /** Talk to the registry without TLS ({@code --insecure-plaintext}): tests and benchmarks only. */
    public boolean insecurePlaintext;
    /** The registry's key fingerprint given up front ({@code --server-fingerprint SHA256:...}), or null for trust on first use. */
    public String serverFingerprint;
    /** Trust the system's CAs and check the host name instead of pinning ({@code --tls-system-trust}). */
    public boolean tlsSystemTrust;

    /**
     * Debugging key log ({@code --keylog FILE} or {@code PARLEY_KEYLOG}): every session's keys are
     * appended there (PROTOCOL.md 12) so a capture can be decrypted. Null: off.
     */
    public java.nio.file.Path keyLog;

    public InetSocketAddress registryUdp() {
        int port = registryUdpPort == 0 ? server.getPort() : registryUdpPort;
        return new InetSocketAddress(server.getAddress(), port);
    }
}
