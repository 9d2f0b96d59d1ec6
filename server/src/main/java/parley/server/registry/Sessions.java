package parley.server.registry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.ErrorCode;
import parley.server.policy.RateLimiter;
import parley.server.protocol.Empty;
import parley.server.protocol.PresenceState;
import parley.server.protocol.ProbeMac;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.SessionClosed;

import java.net.InetSocketAddress;
import java.security.SecureRandom;

/**
 * Connections and sessions: who may connect (the connection cap and the pre-login cap of
 * {@link PreLoginLimit}), the lease timer of each (login deadline, then session timeout), the
 * per-session request rate, binding a login to its account with a fresh probe id and key, and the end of a
 * session (logout, replacement, expiry, close, shutdown). Loop thread only.
 */
final class Sessions {
    private static final Logger log = LoggerFactory.getLogger(Sessions.class);

    private final Registry registry;
    private final Presence presence;
    private final Introductions introductions;
    private final Replies replies;
    private final Timers timers;
    private final RegistryConfig config;
    private final PreLoginLimit preLogin;
    private final Relays relays;
    private final Cluster cluster;
    private final SecureRandom random = new SecureRandom();
    private boolean shuttingDown;

    Sessions(Registry registry, Presence presence, Introductions introductions, Replies replies, Timers timers,
             RegistryConfig config, Relays relays, Cluster cluster) {
        this.cluster = cluster;
        this.relays = relays;
        this.registry = registry;
        this.presence = presence;
        this.introductions = introductions;
        this.replies = replies;
        this.timers = timers;
        this.config = config;
        this.preLogin = new PreLoginLimit(config.maxUnauthenticatedPerAddress);
    }

    // ---- connections and leases -------------------------------------------------------------

    /** Why a new connection from {@code remote} must be turned away (a core error code), or 0 to take it. */
    int refusal(InetSocketAddress remote) {
        if (shuttingDown) {
            return ErrorCode.SHUTTING_DOWN;
        }
        if (registry.connectionCount() >= config.maxConnections) {
            return ErrorCode.SERVER_FULL;
        }
        return preLogin.full(remote) ? ErrorCode.TOO_MANY_CONNECTIONS : 0;
    }

    /** A new connection that {@link #refusal} allowed. */
    Session open(Link c) {
        Session[] self = new Session[1];
        Session s = new Session(c, now -> onLeaseTimer(self[0], now), new RateLimiter(config.requestsPerSecond,
                config.requestBurst, config.abuseLimit, config.abuseWindowNanos));
        self[0] = s;
        preLogin.enter(s);
        registry.addLive(s);
        long now = timers.nanoTime();
        s.lastActivityNanos = now;
        s.loginClockNanos = now;
        timers.schedule(s.leaseTimer, now + config.loginTimeoutNanos);
        return s;
    }

    void closed(Session s) {
        preLogin.leave(s);
        registry.removeLive(s);
        timers.cancel(s.leaseTimer);
        end(s);
    }

    private void onLeaseTimer(Session s, long now) {
        long limit = s.isLoggedIn() ? config.sessionTimeoutNanos : config.loginTimeoutNanos;
        // Before login the deadline runs from accept (or logout), never from the last frame: a
        // socket sending refused requests must not keep itself alive without ever logging in.
        long deadline = (s.isLoggedIn() ? s.lastActivityNanos : s.loginClockNanos) + limit;
        if (now < deadline) {
            timers.schedule(s.leaseTimer, deadline);
            return;
        }
        if (s.isLoggedIn()) {
            log.info("session of {} expired after {} ms without traffic", s.account.name, limit / 1_000_000);
            pushClosed(s.link, RegistryErrors.SESSION_EXPIRED, "no heartbeat within the session timeout");
        }
        // A session's end says why in SESSION_CLOSED and in the final ERROR alike (as for
        // replacement and shutdown); a connection that never logged in only gets TIMEOUT.
        if (s.isLoggedIn()) {
            s.link.closeWithError(0, RegistryErrors.SESSION_EXPIRED, "session expired");
        } else {
            s.link.closeWithError(0, ErrorCode.TIMEOUT, "no login within the timeout");
        }
        end(s);
    }

    /** Counts a request against the session's rate: RateLimiter.ALLOWED, REJECTED or ABUSIVE. */
    int admit(Session s, long now) {
        s.lastActivityNanos = now;
        return s.limiter.check(now);
    }

    /** Ends the logged-in part of a session: the user goes offline (or to another session). */
    private void end(Session s) {
        Account a = s.account;
        if (a == null) {
            return;
        }
        s.account = null;
        registry.removeProbeId(s);
        introductions.dropInvitesOf(a);
        relays.sessionEnded(a, s);
        if (a.session == s) {
            int[] before = presence.seenByContacts(a);
            a.session = null;
            a.lastSeenMillis = config.wallClockMillis.getAsLong();
            registry.updatePublic(a);
            presence.pushChanges(a, before);
            cluster.sessionEnded(a, s);
        }
    }

    /**
     * Cluster mode: a later login of the same user on another node (its ON came after ours in the
     * bus order) closes this session as a newer login here would. The caller records where the
     * user now is and pushes what changed.
     */
    void replacedElsewhere(Session old) {
        Account a = old.account;
        old.account = null;
        registry.removeProbeId(old);
        introductions.dropInvitesOf(a);
        relays.sessionEnded(a, old);
        a.session = null;
        pushClosed(old.link, RegistryErrors.SESSION_REPLACED, "you logged in from another place");
        old.link.closeWithError(0, RegistryErrors.SESSION_REPLACED, "session replaced by a newer login");
    }

    // ---- login outcome -----------------------------------------------------------------------

    /** Binds a freshly authenticated session to its account, replacing any older session. */
    void loggedIn(Session s, Account a) {
        preLogin.leave(s);
        Session old = a.session;
        int[] before = presence.seenByContacts(a);
        if (old != null && old != s) {
            old.account = null;
            registry.removeProbeId(old);
            relays.sessionEnded(a, old);
            pushClosed(old.link, RegistryErrors.SESSION_REPLACED, "you logged in from another place");
            old.link.closeWithError(0, RegistryErrors.SESSION_REPLACED, "session replaced by a newer login");
        }
        do {
            s.probeId = random.nextLong();
        } while (s.probeId == 0 || registry.byProbeId(s.probeId) != null);
        s.probeKey = new byte[ProbeMac.KEY_BYTES];
        random.nextBytes(s.probeKey);
        s.probeCounter = 0;
        s.account = a;
        s.presence = PresenceState.ONLINE;
        a.session = s;
        registry.putProbeId(s);
        registry.updatePublic(a);
        long now = timers.nanoTime();
        s.lastActivityNanos = now;
        timers.schedule(s.leaseTimer, now + config.sessionTimeoutNanos);
        presence.pushChanges(a, before);
        cluster.sessionStarted(a, s);
    }

    void logout(Session s, int correlation, BodyReader r) {
        Empty.decode(r);
        end(s);
        s.loginClockNanos = timers.nanoTime(); // a fresh login deadline from the logout
        replies.ok(s, RegistryOpcodes.LOGOUT, correlation);
    }

    /** The logged-in session a UDP probe id belongs to, or null; the caller checks the MAC ({@link ProbeHandler}). */
    Session byProbeId(long probeId) {
        Session s = registry.byProbeId(probeId);
        return s == null || s.account == null ? null : s;
    }

    // ---- shutdown ----------------------------------------------------------------------------

    void shutdown() {
        shuttingDown = true;
        for (Session s : registry.liveSessions()) {
            if (s.link.isOpen()) {
                pushClosed(s.link, ErrorCode.SHUTTING_DOWN, "the registry is shutting down");
                s.link.closeWithError(0, ErrorCode.SHUTTING_DOWN, "the registry is shutting down");
            }
        }
    }

    private void pushClosed(Link c, int code, String reason) {
        BodyWriter w = replies.begin(c);
        SessionClosed.write(w, code, reason);
        replies.push(c, RegistryOpcodes.SESSION_CLOSED);
    }
}
