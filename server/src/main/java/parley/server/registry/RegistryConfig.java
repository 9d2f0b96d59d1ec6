package parley.server.registry;

import parley.server.policy.LoginThrottle;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** Tunables of the registry; the defaults are what `./parley server` runs with. */
public final class RegistryConfig {
    public int maxConnections = 20_000;
    /**
     * Connections one source address may hold before they log in; 0 means no cap. Well above
     * what one host of honest clients opens at once, far below {@link #maxConnections}.
     */
    public int maxUnauthenticatedPerAddress = 16;
    public long sessionTimeoutNanos = TimeUnit.SECONDS.toNanos(15);
    /** A connection that has not logged in within this time is closed. */
    public long loginTimeoutNanos = TimeUnit.SECONDS.toNanos(30);
    public int maxPendingRequests = 50;
    /** Sustained requests per second one session may make, and the burst above it. */
    public int requestsPerSecond = 200;
    public int requestBurst = 400;
    /** Refused requests within {@link #abuseWindowNanos} that close the session for abuse. */
    public int abuseLimit = 200;
    public long abuseWindowNanos = TimeUnit.SECONDS.toNanos(10);
    public long inviteTimeoutNanos = TimeUnit.SECONDS.toNanos(60);
    public int maxInvitesPerUser = 16;
    public int maxFrameLength = 64 * 1024;
    /** PBKDF2 iterations a registration must use at least, and may use at most. */
    public int minIterations = 4096;
    public int maxIterations = 1_000_000;
    /** Entries in WHO and SEARCH answers are capped so that an answer always fits one frame. */
    public int maxListEntries = 500;
    /** Unfinished logins at once from one source network (/24 or /64); see LoginThrottle. */
    public int maxOpenLoginsPerNetwork = LoginThrottle.DEFAULT_MAX_PER_NETWORK;
    /** REGISTER per source network: this many back to back, then one per interval (10 an hour). */
    public int registerBurstPerNetwork = 10;
    public long registerIntervalPerNetworkNanos = TimeUnit.MINUTES.toNanos(6);
    /** REGISTER from all networks together: this many back to back, then this many per second. */
    public int registerBurst = 200;
    public int registerPerSecond = 20;
    /** Of a user's pending incoming contact requests, at most this many may come from young accounts. */
    public int maxPendingFromYoungAccounts = 10;
    /** An account is young for this long after it registered. */
    public long youngAccountMillis = TimeUnit.DAYS.toMillis(1);
    /** Wall-clock milliseconds for account creation times and ages; tests put their own clock here. */
    public LongSupplier wallClockMillis = System::currentTimeMillis;
    /**
     * The registry's TLS 1.3 context (its certificate and key); null serves plaintext, which only
     * {@code --insecure-plaintext} asks for. The handshake must finish within the login deadline.
     */
    public javax.net.ssl.SSLContext tls;
    /** Threads that run the TLS handshakes' crypto off the loop, and the handshake steps they queue at most. */
    public int tlsThreads = 2;
    public int tlsQueue = 1024;
    /**
     * On a TLS connection, accept SCRAM-SHA-256 without channel binding (gs2 header {@code n,,} or
     * {@code y,,}). Off by default: only SCRAM-SHA-256-PLUS proves the client saw our certificate.
     */
    public boolean allowScramWithoutBinding;

    /** The relay on the UDP port (PROTOCOL.md 7.8): on by default; off sends no relay grants. */
    public boolean relayEnabled = true;
    /**
     * Cluster mode: the relay address (an IP literal and the UDP port) at which peers logged in
     * on OTHER nodes reach this node's relay ({@code --relay-address}); null: the bound UDP address
     * when it is a single unicast address, else no relay grants across nodes (PROTOCOL.md 7.13).
     */
    public java.net.InetSocketAddress relayAddress;
    /** Relayed sessions at once in total, and per account (both users of a pair count). */
    public int relayMaxSessions = 4096;
    public int relayMaxPerAccount = 16;
    /** Per relayed session: inner bytes per second and their burst, datagrams per second and their burst. */
    public long relaySessionBytesPerSecond = 256 * 1024;
    public long relaySessionByteBurst = 512 * 1024;
    public long relaySessionPacketsPerSecond = 1000;
    public long relaySessionPacketBurst = 2000;
    /** Per account, over every relayed session it sends on: inner bytes per second and their burst. */
    public long relayAccountBytesPerSecond = 1024 * 1024;
    public long relayAccountByteBurst = 2 * 1024 * 1024;
    /** A relayed session with nothing forwarded for this long ends. */
    public long relayIdleNanos = TimeUnit.SECONDS.toNanos(120);
    /** Mailbox quota per recipient (PROTOCOL.md 7.10): entries, and bytes of sealed blobs. */
    public int mailboxMaxCount = 1000;
    public long mailboxMaxBytes = 4L * 1024 * 1024;
    /** How long a mailbox entry waits before it expires (and its sender gets an EXPIRED notice). */
    public long mailboxTtlMillis = TimeUnit.DAYS.toMillis(30);
    /** How often the registry looks for expired mailbox entries, on the loop's clock. */
    public long mailboxSweepNanos = TimeUnit.MINUTES.toNanos(1);
    /** Entries one expiry pass handles in its transaction at most; more wait for the next pass, soon after. */
    public int mailboxSweepLimit = 4096;
    /**
     * Cluster mode (issue 16): the bus to the other registry nodes. The default, {@link
     * parley.server.cluster.NoBus}, is one node alone, exactly as before.
     */
    public parley.server.cluster.Bus bus = parley.server.cluster.NoBus.INSTANCE;
    /**
     * A node's lease on the bus: contacts on other nodes see a node's users go offline this long
     * after it was last heard, and a node that has not heard its own heartbeat back for this long
     * refuses what needs the bus (BUS_UNAVAILABLE). Also bounds how long a privacy change waits
     * for a silent node before it is acknowledged (docs/SCALING.md).
     */
    /**
     * Set by {@link RegistryServer} from the store: true when the nodes share one store
     * (PostgreSQL), so accounts, identities and mailbox counters made on one node are told to the
     * others ({@code ClusterAccounts}). With per-node SQLite files they are not.
     */
    public boolean sharedStore;
    public long clusterLeaseNanos = TimeUnit.SECONDS.toNanos(6);
    /**
     * SO_REUSEPORT on the TCP listener: several registry processes on one machine (one loop each)
     * share one port and the kernel spreads connections among them (docs/SCALING.md). The UDP
     * port stays one per process: a probe must reach the node holding its session.
     */
    public boolean reusePort;
}
