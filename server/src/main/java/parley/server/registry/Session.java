package parley.server.registry;

import parley.core.loop.Timer;
import parley.server.policy.RateLimiter;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * One TCP connection to the registry and, once logged in, the user's session. Kept small on
 * purpose: a registry holds tens of thousands of these while they idle.
 */
final class Session {
    final Link link;
    final Timer leaseTimer;
    Account account;
    int presence;
    long lastActivityNanos;
    /** When the connection was accepted or last logged out: the login deadline runs from here. */
    long loginClockNanos;
    /** This login's probe id and key (LOGIN_FINISH); the id finds the session, the key checks the MAC. */
    long probeId;
    byte[] probeKey;
    /** The highest probe counter accepted for this login: anything not above it is a replay. */
    long probeCounter;
    String announcedHost;
    int announcedPort;
    /** {@link #announcedHost} parsed, and whether it reaches no farther than a LAN ({@code IpLiteral.isLocalScope}). */
    InetAddress announcedAddress;
    boolean announcedLocal;
    /** The confirmed source of this session's UDP probes; only a confirmed address is ever disclosed. */
    InetSocketAddress observed;
    /** {@link #observed}'s address as text, made once when it is confirmed: lookups then allocate nothing. */
    String observedHost;
    /** UDP probe rate and the challenge outstanding for a new address; made at the first probe. */
    ProbeState probe;
    /** Cluster mode: this login's ON has come back in the bus order, so a later login elsewhere replaces it. */
    boolean clusterConfirmed;
    Object login; // SCRAM exchange in progress, if any
    /** Source address while this connection counts against its address's pre-login cap, else null. */
    java.net.InetAddress preLogin;

    final RateLimiter limiter;

    Session(Link link, Timer.Task onLease, RateLimiter limiter) {
        this.link = link;
        this.leaseTimer = new Timer(onLease);
        this.limiter = limiter;
    }

    boolean isLoggedIn() {
        return account != null;
    }
}
