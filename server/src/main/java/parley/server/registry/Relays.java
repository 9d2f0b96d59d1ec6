package parley.server.registry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.util.LongObjectMap;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * The relay's sessions (PROTOCOL.md 7.8): allocation when a PEER_ANSWER accepts, the token table
 * the forwarder looks datagrams up in, and every teardown (session end, a privacy change, idle,
 * replacement). Whether two users may be relayed is never decided here: {@link #allocate} is
 * called only after {@link Presence#mayMeet} allowed the pair, and {@link #recheck} asks
 * {@link Presence#mayMeet} again whenever a user's blocks, contacts or visibility change.
 *
 * <p>Tokens are 16 random bytes from a CSPRNG, kept as two longs; the table is keyed by the high
 * long in a primitive map (a lookup allocates nothing) and the low long is compared on a hit.
 * Loop thread only.
 */
final class Relays {
    private static final Logger log = LoggerFactory.getLogger(Relays.class);

    private final RegistryConfig config;
    private final Timers timers;
    private final SecureRandom random = new SecureRandom();
    private final LongObjectMap<RelaySide> byToken = new LongObjectMap<>();
    private final LongObjectMap<RelayAccount> byAccount = new LongObjectMap<>();
    final RelayMetrics metrics = new RelayMetrics();
    private int live;

    Relays(RegistryConfig config, Timers timers) {
        this.config = config;
        this.timers = timers;
    }

    /** The side whose token is (hi, lo), or null. Allocation-free: the forwarder's lookup. */
    RelaySide byToken(long hi, long lo) {
        RelaySide s = byToken.get(hi);
        return s != null && s.tokenLo == lo ? s : null;
    }

    /** Relayed sessions now. */
    int live() {
        return live;
    }

    /**
     * A relayed session between the requester's session {@code rs} (session id {@code rSid}) and
     * the answerer's {@code as} ({@code aSid}), or null when the relay is off or at a cap. The caller
     * has checked the pair with {@link Presence#mayMeet}. An older one for the same ids ends first.
     */
    RelayPair allocate(Session rs, long rSid, Session as, long aSid) {
        return allocate(rs.account, rs, rSid, as, aSid);
    }

    /**
     * Cluster mode (PROTOCOL.md 7.13): as {@link #allocate(Session, long, Session, long)} for a
     * requester {@code r} logged in on another node, which has no registry session here. Its side
     * ends when the bus says that session ended ({@link #remoteEnded}).
     */
    RelayPair allocateForRemote(Account r, long rSid, Session as, long aSid) {
        return allocate(r, null, rSid, as, aSid);
    }

    private RelayPair allocate(Account r, Session rs, long rSid, Session as, long aSid) {
        if (!config.relayEnabled) {
            return null;
        }
        Account a = as.account;
        replaceOlder(r, rSid, aSid);
        RelayAccount ra = accountOf(r);
        RelayAccount aa = accountOf(a);
        if (live >= config.relayMaxSessions || ra.pairs.size() >= config.relayMaxPerAccount
                || aa.pairs.size() >= config.relayMaxPerAccount) {
            metrics.refused++;
            forgetIfEmpty(ra);
            forgetIfEmpty(aa);
            return null;
        }
        RelayPair[] self = new RelayPair[1];
        RelayPair p = new RelayPair(r, a, config, now -> onIdle(self[0], now));
        self[0] = p;
        p.requesterSide = newSide(p, rSid, rs, ra);
        p.answererSide = newSide(p, aSid, as, aa);
        p.requesterSide.other = p.answererSide;
        p.answererSide.other = p.requesterSide;
        ra.pairs.add(p);
        aa.pairs.add(p);
        live++;
        metrics.sessionsTotal++;
        long now = timers.nanoTime();
        p.lastForwardNanos = now;
        timers.schedule(p.idle, now + config.relayIdleNanos);
        return p;
    }

    private RelaySide newSide(RelayPair p, long sid, Session s, RelayAccount acct) {
        long hi;
        do {
            hi = random.nextLong();
        } while (byToken.get(hi) != null);
        RelaySide side = new RelaySide(p, hi, random.nextLong(), sid, s, acct);
        byToken.put(hi, side);
        return side;
    }

    private RelayAccount accountOf(Account a) {
        RelayAccount ra = byAccount.get(a.id);
        if (ra == null) {
            ra = new RelayAccount(a, config);
            byAccount.put(a.id, ra);
        }
        return ra;
    }

    private void forgetIfEmpty(RelayAccount ra) {
        if (ra.pairs.isEmpty()) {
            byAccount.remove(ra.account.id);
        }
    }

    private void replaceOlder(Account r, long rSid, long aSid) {
        RelayAccount ra = byAccount.get(r.id);
        if (ra == null) {
            return;
        }
        for (RelayPair p : new ArrayList<>(ra.pairs)) {
            if (p.requester == r && p.requesterSide.sessionId == rSid && p.answererSide.sessionId == aSid) {
                end(p, "replaced by a newer allocation");
            }
        }
    }

    /** The registry session {@code s} of {@code a} ended: its relayed sessions end with it. */
    void sessionEnded(Account a, Session s) {
        for (RelayPair p : pairsOf(a)) {
            if (p.requesterSide.session == s || p.answererSide.session == s) {
                end(p, "a registry session ended");
            }
        }
    }

    /**
     * Cluster mode: {@code a}'s session on another node ended, or moved (a logout, a lost node, a
     * login elsewhere or here): the relayed sessions whose side of {@code a} was that remote session end.
     */
    void remoteEnded(Account a) {
        for (RelayPair p : pairsOf(a)) {
            RelaySide side = p.requester == a ? p.requesterSide : p.answererSide;
            if (side.session == null) {
                end(p, "a registry session on another node ended");
            }
        }
    }

    /** {@code a}'s blocks, contacts or visibility changed: ends each of its relayed sessions the privacy rule no longer allows. */
    void recheck(Account a) {
        for (RelayPair p : pairsOf(a)) {
            if (!Presence.mayMeet(p.requester, p.answerer)) {
                end(p, "the privacy rules now keep the pair apart");
            }
        }
    }

    private List<RelayPair> pairsOf(Account a) {
        RelayAccount ra = byAccount.get(a.id);
        return ra == null ? List.of() : new ArrayList<>(ra.pairs);
    }

    private void onIdle(RelayPair p, long now) {
        if (!p.live) {
            return;
        }
        long deadline = p.lastForwardNanos + config.relayIdleNanos;
        if (now < deadline) {
            timers.schedule(p.idle, deadline);
            return;
        }
        end(p, "idle");
    }

    void end(RelayPair p, String why) {
        if (!p.live) {
            return;
        }
        p.live = false;
        timers.cancel(p.idle);
        byToken.remove(p.requesterSide.tokenHi);
        byToken.remove(p.answererSide.tokenHi);
        for (RelaySide side : new RelaySide[] {p.requesterSide, p.answererSide}) {
            side.account.pairs.remove(p);
            forgetIfEmpty(side.account);
        }
        live--;
        log.debug("relayed session {} - {} ended: {}", p.requester.name, p.answerer.name, why);
    }

    RelayStats stats() {
        return metrics.snapshot(live);
    }
}
