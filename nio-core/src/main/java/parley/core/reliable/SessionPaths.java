package parley.core.reliable;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Where one session sends, and when that changes (PROTOCOL.md 7.8 and 9.6), as logic on time
 * passed in: the session's transmit asks {@link #current}, and the session reports arrivals,
 * path frames, probe timeouts and timer ticks here.
 *
 * <ul>
 * <li><b>Relay first.</b> With a relay, the session starts {@link SessionPath.Kind#RELAYED} and a
 * {@link PathProber} punches to the peer's direct addresses at once.
 * <li><b>Migration.</b> A PATH_RESPONSE from a direct address that echoes our challenge to that
 * address (a punching one, or one sent because an authenticated packet came from there) moves
 * the session there. Packet numbers belong to the session, not the path, so nothing is resent
 * or delivered twice because of the move: loss recovery repairs whatever the old path lost.
 * <li><b>Fallback.</b> The direct path is dead after {@link #PTOS_TO_FALLBACK} probe timeouts in a
 * row with nothing from it, or {@link #DIRECT_SILENCE_NANOS} with nothing from it, or when the
 * peer's newest packets come through the relay while nothing came directly for
 * {@link #RELAYED_ARRIVAL_GRACE_NANOS} (the peer fell back first). The session returns to the
 * relay and punches again.
 * <li><b>No direct.</b> Never punches, never migrates, never answers a direct PATH_CHALLENGE.
 * <li><b>No relay.</b> Today's behaviour: the one direct address, moved only by validated NAT rebinding.
 * </ul>
 */
final class SessionPaths {
    /** Probe timeouts in a row, with nothing from the direct path, that declare it dead. */
    static final int PTOS_TO_FALLBACK = 2;
    /** Silence on the direct path that declares it dead although keepalives go out (three of them). */
    static final long DIRECT_SILENCE_NANOS = TimeUnit.SECONDS.toNanos(45);
    /**
     * A packet through the relay while on a direct path is normal for a moment after migrating (the
     * peer has not moved yet); after this long with nothing direct, it means the peer fell back.
     */
    static final long RELAYED_ARRIVAL_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * On a direct path, a lone PATH_RESPONSE (data 0, which answers nothing) goes through the relay
     * this often, so the relay, which forgets a pair after 120 s without a datagram, still holds
     * this session's relay when the direct path dies.
     */
    static final long RELAY_KEEPALIVE_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** What the session does for the paths: send a lone path frame straight to an address. */
    interface Out {
        void sendPathFrame(int type, long data, InetSocketAddress to, long now);

        /** Sends a lone path frame through the relay (wrapped), whatever the current path. */
        void sendPathFrameViaRelay(int type, long data, long now);

        /** The session's current RTO: the least time between two rebinding challenges to one address. */
        long rto();
    }

    private final Out out;
    private final LongSupplier random;
    private SessionPath relay;
    private boolean noDirect;
    private final List<InetSocketAddress> punchTargets;
    private final PathProber prober;
    private PathListener listener = PathListener.NONE;

    private InetSocketAddress direct;
    private boolean onDirect;
    private SessionPath current;
    private long lastDirectReceive;
    private long lastRelayKeepalive;
    /** The packet being processed carried a path frame (a relay keepalive is one, and means no fallback). */
    private boolean pathFrameArriving;
    private int ptosWithoutDirect;

    // Rebinding validation: the address an authenticated packet came from, its challenge, when sent.
    private InetSocketAddress candidate;
    private long challenge;
    private long challengeSentAt;
    private long challengesSent;
    // Where the packet being processed came from, and a response owed to a challenge in it.
    private InetSocketAddress arrivingFrom;
    private boolean responseOwed;
    private long responseData;

    private long rebinds;
    private long migrations;
    private long fallbacks;

    SessionPaths(PathPlan plan, Out out, LongSupplier random, long now) {
        this.out = out;
        this.random = random;
        this.relay = plan.relay;
        this.noDirect = plan.noDirect;
        this.prober = new PathProber(random);
        this.punchTargets = new ArrayList<>();
        addTargets(plan.punchTargets);
        if (relay == null) {
            direct = plan.direct;
            onDirect = true;
            current = SessionPath.direct(direct);
        } else {
            current = relay;
            if (!noDirect) {
                prober.start(punchTargets, now);
            }
        }
    }

    private void addTargets(List<InetSocketAddress> targets) {
        for (InetSocketAddress a : targets) {
            if ((relay == null || !a.equals(relay.address())) && !punchTargets.contains(a)) {
                punchTargets.add(a);
            }
        }
    }

    /**
     * A relay granted after the session opened (the answering side hears its grant in the
     * PEER_ANSWER response, after it opened the session on the registry's address): the session
     * moves to the relay, and the address it started on is punched to with the others, unless a
     * direct path was validated meanwhile. Once only.
     */
    void attachRelay(SessionPath relayPath, List<InetSocketAddress> targets, boolean relayOnly, long now) {
        if (relay != null || !relayPath.relayed()) {
            return;
        }
        relay = relayPath;
        noDirect = relayOnly;
        if (direct != null) {
            punchTargets.add(direct);
        }
        addTargets(targets);
        if (noDirect || migrations + rebinds == 0) {
            onDirect = false;
            current = relay;
            if (!noDirect) {
                prober.start(punchTargets, now);
            }
            listener.onPathChanged(current, "the registry granted a relay");
        } else {
            lastDirectReceive = now; // already on a validated direct path: the relay is the fallback
            tellRelay(now);
        }
    }

    void listener(PathListener l) {
        this.listener = l;
    }

    /** Where datagrams go now. */
    SessionPath current() {
        return current;
    }

    /** The earliest time {@link #onTimer} has something to do. */
    long nextDeadline() {
        long d = prober.nextDeadline();
        if (onDirect && relay != null) {
            d = Math.min(d, lastDirectReceive + DIRECT_SILENCE_NANOS);
            d = Math.min(d, lastRelayKeepalive + RELAY_KEEPALIVE_NANOS);
        }
        return d;
    }

    /** Sends the punching challenges that are due; declares a silent direct path dead. */
    void onTimer(long now) {
        if (onDirect && relay != null && now - lastDirectReceive >= DIRECT_SILENCE_NANOS) {
            fallback(now, "nothing from the direct path for " + DIRECT_SILENCE_NANOS / 1_000_000_000L + " s");
        }
        if (onDirect && relay != null && now - lastRelayKeepalive >= RELAY_KEEPALIVE_NANOS) {
            lastRelayKeepalive = now;
            out.sendPathFrameViaRelay(Frames.PATH_RESPONSE, 0, now);
        }
        boolean punching = prober.running();
        for (int i = prober.due(now); i >= 0; i = prober.due(now)) {
            out.sendPathFrame(Frames.PATH_CHALLENGE, prober.challenge(i), prober.target(i), now);
        }
        if (punching && !prober.running()) {
            listener.onPunchingEnded(false); // the round's time ran out: the relay stays
        }
    }

    void onProbeTimeout(long now) {
        if (onDirect && relay != null && ++ptosWithoutDirect >= PTOS_TO_FALLBACK) {
            fallback(now, PTOS_TO_FALLBACK + " probe timeouts with nothing from the direct path");
        }
    }

    /** The next packet handed to the reliable logic came from {@code from}. */
    void arriving(InetSocketAddress from) {
        arrivingFrom = from;
        responseOwed = false;
        pathFrameArriving = false;
    }

    void onPathChallenge(long data) {
        // Answered once the packet is processed, to the address it came from (RFC 9000 8.2.2).
        responseOwed = true;
        responseData = data;
        pathFrameArriving = true;
    }

    void onPathResponse(long data, long now) {
        InetSocketAddress from = arrivingFrom;
        pathFrameArriving = true;
        if (from == null || noDirect || isRelay(from)) {
            return;
        }
        boolean rebound = candidate != null && data == challenge && candidate.equals(from);
        // Once direct, a late answer to another punched address changes nothing: one path is enough.
        if (rebound || !onDirect && prober.validates(from, data)) {
            candidate = null;
            migrate(from, now);
        }
    }

    /** An authenticated packet from {@code from} was processed; {@code newest} if its number is the highest yet. */
    void received(InetSocketAddress from, long now, boolean newest) {
        boolean owed = responseOwed;
        responseOwed = false;
        if (isRelay(from)) {
            if (onDirect && newest && !pathFrameArriving && now - lastDirectReceive >= RELAYED_ARRIVAL_GRACE_NANOS) {
                fallback(now, "the peer's packets come through the relay");
            }
            return;
        }
        if (noDirect && relay != null) {
            return; // a direct packet is processed, but it earns no answer that would confirm our address
        }
        if (onDirect && from.equals(direct)) {
            lastDirectReceive = now;
            ptosWithoutDirect = 0;
        }
        if (owed) {
            out.sendPathFrame(Frames.PATH_RESPONSE, responseData, from, now);
        }
        if (newest && !(onDirect && from.equals(direct))) {
            challenge(from, now);
        }
    }

    private boolean isRelay(InetSocketAddress from) {
        return relay != null && from.equals(relay.address());
    }

    /**
     * The peer seems to be at {@code from}: challenge that address, unless a challenge to it is
     * already out and younger than an RTO (a lost one is sent again on a later packet).
     */
    private void challenge(InetSocketAddress from, long now) {
        if (from.equals(candidate) && now - challengeSentAt < out.rto()) {
            return;
        }
        candidate = from;
        challenge = random.getAsLong();
        challengeSentAt = now;
        challengesSent++;
        out.sendPathFrame(Frames.PATH_CHALLENGE, challenge, from, now);
    }

    /**
     * Sends the relay keepalive now (PROTOCOL.md 7.8 step 4), as the session goes direct: the relay
     * learns a side's address only from what that side sends through it, and a side that moved to
     * the direct path before it had sent anything there (a receiver that only acks) was unknown
     * to it for the first 60 s. If the direct path died in that time, the relay dropped what the
     * other side sent through it, and the fall-back waited for this side's own 15 s keepalive
     * (a file transfer stalled 16-17 s: FileTransferPathsTest). The next keepalive follows 60 s later.
     */
    private void tellRelay(long now) {
        lastRelayKeepalive = now;
        out.sendPathFrameViaRelay(Frames.PATH_RESPONSE, 0, now);
    }

    private void migrate(InetSocketAddress to, long now) {
        if (onDirect && to.equals(direct)) {
            return;
        }
        boolean rebinding = onDirect;
        direct = to;
        onDirect = true;
        lastDirectReceive = now;
        ptosWithoutDirect = 0;
        if (rebinding) {
            lastRelayKeepalive = now;
        } else if (relay != null) {
            tellRelay(now);
        }
        boolean punching = prober.running();
        prober.stop();
        current = SessionPath.direct(to);
        if (rebinding) {
            rebinds++;
            listener.onPathChanged(current, "the peer's address changed (validated)");
        } else {
            migrations++;
            listener.onPathChanged(current, "a direct path validated");
        }
        if (punching) {
            listener.onPunchingEnded(true);
        }
    }

    private void fallback(long now, String why) {
        if (!onDirect || relay == null) {
            return;
        }
        onDirect = false;
        ptosWithoutDirect = 0;
        fallbacks++;
        current = relay;
        List<InetSocketAddress> again = new ArrayList<>(punchTargets.size() + 1);
        again.add(direct); // the address that worked first: a NAT that lost its mapping may give it back
        again.addAll(punchTargets);
        prober.start(again, now);
        listener.onPathChanged(current, why);
    }

    /** The relayed path, or null without a relay. */
    SessionPath relay() {
        return relay;
    }

    /** The session ended: no more punching. */
    void stop() {
        prober.stop();
    }

    long rebinds() {
        return rebinds;
    }

    long migrations() {
        return migrations;
    }

    long fallbacks() {
        return fallbacks;
    }

    long challengesSent() {
        return challengesSent;
    }

    PathProber prober() {
        return prober;
    }
}
