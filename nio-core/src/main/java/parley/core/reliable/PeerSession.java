package parley.core.reliable;

import parley.core.crypto.PacketCipher;
import parley.core.crypto.SessionKeys;
import parley.core.loop.Timer;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One encrypted, reliable session on a {@link PeerEndpoint}: the reliable logic, its two packet
 * ciphers, its path ({@link SessionPaths}: direct or through a relay, punching, migration and
 * fallback), and the loop timer that drives them. Loop thread only.
 *
 * <p>Where the peer is changes only after a path challenge (PROTOCOL.md 9.6): a packet that
 * authenticates proves who sealed it, not who sent it, since anyone on the path can replay a
 * captured datagram from a forged source. So an authenticated packet from a new address is
 * processed, but replies keep going to the validated address until a PATH_RESPONSE carrying our
 * random challenge comes back from the new one.
 */
public final class PeerSession implements PacketOutput, PathListener, SessionPaths.Out {
    private final PeerEndpoint endpoint;
    private final long localId;
    private final long remoteId;
    /** ChaCha20-Poly1305, and AES-256-GCM when offered and accepted (PROTOCOL.md 9.2, 9.3). */
    final SessionAead aead;
    private final String fingerprint;
    final ReliableSession reliable;
    private final BulkGate bulk;
    private final SessionPaths paths;
    private final Timer timer;
    private long scheduled = Long.MAX_VALUE;
    boolean dirty;
    private long bytesSent;
    private long bytesReceived;
    // A path frame is aimed here, unwrapped, instead of along the current path.
    private InetSocketAddress aimedAt;
    // A path frame goes through the relay whatever the current path (the relay keepalive).
    private boolean viaRelay;
    // The path the datagram-size search ran on; another one starts it again (PROTOCOL.md 9.8).
    private SessionPath sizedPath;

    PeerSession(PeerEndpoint endpoint, long localId, long remoteId, SessionKeys keys, PathPlan plan,
                SessionListener listener, long now) {
        this.endpoint = endpoint;
        this.localId = localId;
        this.remoteId = remoteId;
        this.aead = new SessionAead(keys, endpoint.config().offerGcm);
        this.fingerprint = keys.fingerprint;
        this.timer = new Timer(this::onTimer);
        this.reliable = new ReliableSession(endpoint.config(), this, listener, now);
        this.reliable.pathListener(this);
        this.bulk = new BulkGate(reliable);
        this.paths = new SessionPaths(plan, this, endpoint::pathChallengeData, now);
    }

    private void onTimer(long now) {
        scheduled = Long.MAX_VALUE;
        if (!reliable.isDead()) {
            paths.onTimer(now); // first: a path declared dead here takes the retransmissions below
        }
        reliable.onTimer(now);
        reschedule();
    }

    /**
     * Queues a message and returns its id, or {@link ReliableSession#REFUSED} under back-pressure.
     * Messages queued in the same loop turn leave together, packed into as few datagrams as fit.
     */
    public long send(ByteBuffer message) {
        long id = reliable.send(message);
        if (id != ReliableSession.REFUSED) {
            endpoint.markDirty(this);
        }
        return id;
    }

    /**
     * Queues a bulk message (a file chunk) on stream 1 (PROTOCOL.md 9.9), which is sent only when
     * chat has nothing ready, and only if the session's {@link BulkGate} admits it, so the file
     * waits on disk rather than in the session: its id, or {@link ReliableSession#REFUSED} (try
     * again on {@link SessionListener#onRttSample} or {@link SessionListener#onWritable}).
     */
    public long sendBulk(ByteBuffer message) {
        long id = bulk.sendBulk(message);
        if (id != ReliableSession.REFUSED) {
            endpoint.markDirty(this);
        }
        return id;
    }

    /** Delivers what waited while the listener did not accept messages; see {@link ReliableSession#resumeDelivery}. */
    public void resumeDelivery() {
        reliable.resumeDelivery(endpoint.loop().nanoTime());
        reschedule();
    }

    /** The session's congestion controller, read for statistics (loop thread only). */
    public CongestionController congestion() {
        return reliable.congestion();
    }

    /** Ends the session: the peer is told, and every undelivered message is reported failed. */
    public void close() {
        reliable.close(endpoint.loop().nanoTime());
    }

    /** Who hears this session's path changes (migration, fallback, rebinding). Loop thread. */
    public void pathEvents(PathListener listener) {
        paths.listener(listener);
    }

    /**
     * Moves a session opened without a relay onto one granted later (see
     * {@link SessionPaths#attachRelay}), punching to {@code targets}; {@code relayOnly} for
     * NO_DIRECT. Loop thread.
     */
    public void attachRelay(SessionPath relay, java.util.List<InetSocketAddress> targets, boolean relayOnly) {
        paths.attachRelay(relay, targets, relayOnly, endpoint.loop().nanoTime());
        endpoint.markDirty(this);
        reschedule();
    }

    void reschedule() {
        long d = reliable.isDead() ? Long.MAX_VALUE : Math.min(reliable.nextDeadline(), paths.nextDeadline());
        if (d == scheduled) {
            return;
        }
        scheduled = d;
        if (d == Long.MAX_VALUE) {
            endpoint.loop().cancel(timer);
        } else {
            endpoint.loop().schedule(timer, d);
        }
    }

    /** The session died: it leaves the endpoint and its timer, before the listener hears it. */
    @Override
    public void onSessionEnded(String reason) {
        paths.stop();
        endpoint.remove(this);
        endpoint.loop().cancel(timer);
    }

    /**
     * Every packet starts here, so a path change is seen here before a packet is sized: a new
     * path (migration, fallback to the relay, rebinding) starts at the base datagram size, and a
     * direct one is searched again up to what the local interface carries; a relayed path stays
     * at the base, as the relay forwards no more (PROTOCOL.md 9.8).
     */
    @Override
    public ByteBuffer packetBuffer() {
        SessionPath p = paths.current();
        if (p != sizedPath) {
            sizedPath = p;
            reliable.pmtu().restart(p.relayed() ? 0 : endpoint.datagramCeiling(p.address()), endpoint.loop().nanoTime());
        }
        return endpoint.plaintextBuffer();
    }

    @Override
    public boolean transmit(ByteBuffer frames, long packetNumber, boolean carriesData) {
        ByteBuffer out = endpoint.sealBuffer();
        int sealedLength = frames.position() + PacketCipher.TAG_LENGTH;
        int flags = aead.sealFlags(frames.position(), reliable.peerAcceptsGcm());
        endpoint.outPacket().wrap(out, 0).writePrefix(carriesData, flags, packetNumber, remoteId, sealedLength);
        ByteBuffer aad = endpoint.sealAad();
        aad.limit(PeerPacket.AAD_LENGTH).position(0);
        frames.flip();
        out.limit(PeerPacket.SEALED_OFFSET + sealedLength).position(PeerPacket.SEALED_OFFSET);
        aead.seal(flags, packetNumber, aad, frames, out);
        out.flip();
        if (aimedAt != null) {
            bytesSent += out.remaining();
            return endpoint.path().send(out, aimedAt);
        }
        SessionPath p = viaRelay ? paths.relay() : paths.current();
        if (p.relayed()) {
            out = endpoint.relayWrap(out, p.token());
        }
        bytesSent += out.remaining();
        return endpoint.path().send(out, p.address());
    }

    /** The next packet handed to {@link ReliableSession#onPacket} came from {@code from}. */
    void arriving(InetSocketAddress from) {
        paths.arriving(from);
    }

    /** An authenticated packet from {@code from} was processed; {@code newest} if its number is the highest yet. */
    void received(int bytes, InetSocketAddress from, long now, boolean newest) {
        bytesReceived += bytes;
        paths.received(from, now, newest);
    }

    @Override
    public void sendPathFrame(int type, long data, InetSocketAddress to, long now) {
        aimedAt = to;
        try {
            reliable.sendPathFrame(type, data, now);
        } finally {
            aimedAt = null;
        }
    }

    @Override
    public void sendPathFrameViaRelay(int type, long data, long now) {
        viaRelay = true;
        try {
            reliable.sendPathFrame(type, data, now);
        } finally {
            viaRelay = false;
        }
    }

    @Override
    public long rto() {
        return reliable.rtt().rto();
    }

    @Override
    public void onPathChallenge(long data) {
        paths.onPathChallenge(data);
    }

    @Override
    public void onPathResponse(long data) {
        paths.onPathResponse(data, endpoint.loop().nanoTime());
    }

    @Override
    public void onProbeTimeout(long now) {
        paths.onProbeTimeout(now);
    }

    public long localId() {
        return localId;
    }

    public long remoteId() {
        return remoteId;
    }

    public String fingerprint() {
        return fingerprint;
    }

    /** The peer's address on a direct path, the relay's on a relayed one. */
    public InetSocketAddress remoteAddress() {
        return paths.current().address();
    }

    /** Where the session sends now. */
    public SessionPath path() {
        return paths.current();
    }

    public ReliableSession reliable() {
        return reliable;
    }

    public boolean isOpen() {
        return !reliable.isDead();
    }

    public long bytesSent() {
        return bytesSent;
    }

    public long bytesReceived() {
        return bytesReceived;
    }

    /** Packets this side sealed with AES-256-GCM (PROTOCOL.md 9.2). */
    public long gcmPacketsSent() {
        return aead.gcmSealed();
    }

    /** Packets that arrived sealed with AES-256-GCM and authenticated. */
    public long gcmPacketsReceived() {
        return aead.gcmOpened();
    }

    /** Validated moves of a direct path to a new address of the peer (NAT rebinding). */
    public long rebinds() {
        return paths.rebinds();
    }

    /** Moves from the relay to a direct path. */
    public long migrations() {
        return paths.migrations();
    }

    /** Falls back from a dead direct path to the relay. */
    public long fallbacks() {
        return paths.fallbacks();
    }

    /** Punching challenges sent (PATH_CHALLENGE to the peer's candidates). */
    public long punchChallenges() {
        return paths.prober().challengesSent();
    }

    /** True while a round of punching is under way. */
    public boolean punching() {
        return paths.prober().running();
    }

    /** PATH_CHALLENGE frames sent to addresses packets came from: one per new address seen, and again if the answer is slow. */
    public long pathChallenges() {
        return paths.challengesSent();
    }
}
