package parley.core.reliable;

import parley.core.crypto.PacketCipher;
import parley.core.crypto.SessionKeys;
import parley.core.loop.Timer;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One encrypted, reliable session on a {@link PeerEndpoint}: the reliable logic, its two packet
 * ciphers, where the peer is now, and the loop timer that drives it. Loop thread only.
 *
 * <p>Where the peer is changes only after a path challenge (PROTOCOL.md 9.6): a packet that
 * authenticates proves who sealed it, not who sent it, since anyone on the path can replay a
 * captured datagram from a forged source. So an authenticated packet from a new address is
 * processed, but replies keep going to the validated address until a PATH_RESPONSE carrying our
 * random challenge comes back from the new one.
 */
public final class PeerSession implements PacketOutput, PathListener {
    private final PeerEndpoint endpoint;
    private final long localId;
    private final long remoteId;
    private final PacketCipher sealer;
    final PacketCipher opener;
    private final String fingerprint;
    final ReliableSession reliable;
    private final Timer timer;
    private long scheduled = Long.MAX_VALUE;
    InetSocketAddress remote;
    boolean dirty;
    private long bytesSent;
    private long bytesReceived;
    private long rebinds;

    // Path validation: the address being validated, its challenge, and when it was sent.
    private InetSocketAddress candidate;
    private long challenge;
    private long challengeSentAt;
    private long challengesSent;
    // Where the packet being processed came from, and a response owed to a challenge in it.
    private InetSocketAddress arrivingFrom;
    private boolean responseOwed;
    private long responseData;
    // A path frame is aimed here instead of at the validated address.
    private InetSocketAddress aimedAt;

    PeerSession(PeerEndpoint endpoint, long localId, long remoteId, SessionKeys keys, InetSocketAddress remote,
                SessionListener listener, long now) {
        this.endpoint = endpoint;
        this.localId = localId;
        this.remoteId = remoteId;
        this.sealer = PacketCipher.sealer(keys.sendKey, keys.sendIv);
        this.opener = PacketCipher.opener(keys.receiveKey, keys.receiveIv);
        this.fingerprint = keys.fingerprint;
        this.remote = remote;
        this.timer = new Timer(this::onTimer);
        this.reliable = new ReliableSession(endpoint.config(), this, listener, now);
        this.reliable.pathListener(this);
    }

    private void onTimer(long now) {
        scheduled = Long.MAX_VALUE;
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

    void reschedule() {
        long d = reliable.nextDeadline();
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
        endpoint.remove(this);
        endpoint.loop().cancel(timer);
    }

    @Override
    public ByteBuffer packetBuffer() {
        return endpoint.plaintextBuffer();
    }

    @Override
    public boolean transmit(ByteBuffer frames, long packetNumber, boolean carriesData) {
        ByteBuffer out = endpoint.sealBuffer();
        int sealedLength = frames.position() + PacketCipher.TAG_LENGTH;
        endpoint.outPacket().wrap(out, 0).writePrefix(carriesData, packetNumber, remoteId, sealedLength);
        ByteBuffer aad = endpoint.sealAad();
        aad.limit(PeerPacket.AAD_LENGTH).position(0);
        frames.flip();
        out.limit(PeerPacket.SEALED_OFFSET + sealedLength).position(PeerPacket.SEALED_OFFSET);
        sealer.seal(packetNumber, aad, frames, out);
        out.flip();
        bytesSent += out.remaining();
        return endpoint.path().send(out, aimedAt != null ? aimedAt : remote);
    }

    /** The next packet handed to {@link ReliableSession#onPacket} came from {@code from}. */
    void arriving(InetSocketAddress from) {
        arrivingFrom = from;
    }

    /** An authenticated packet from {@code from} was processed; {@code newest} if its number is the highest yet. */
    void received(int bytes, InetSocketAddress from, long now, boolean newest) {
        bytesReceived += bytes;
        if (responseOwed) {
            responseOwed = false;
            sendPathFrame(Frames.PATH_RESPONSE, responseData, from, now);
        }
        if (newest && !from.equals(remote)) {
            challenge(from, now);
        }
    }

    /**
     * The peer seems to be at {@code from}: challenge that address, unless a challenge to it is
     * already out and younger than an RTO (a lost one is sent again on a later packet).
     */
    private void challenge(InetSocketAddress from, long now) {
        if (from.equals(candidate) && now - challengeSentAt < reliable.rtt().rto()) {
            return;
        }
        candidate = from;
        challenge = endpoint.pathChallengeData();
        challengeSentAt = now;
        challengesSent++;
        sendPathFrame(Frames.PATH_CHALLENGE, challenge, from, now);
    }

    private void sendPathFrame(int type, long data, InetSocketAddress to, long now) {
        aimedAt = to;
        try {
            reliable.sendPathFrame(type, data, now);
        } finally {
            aimedAt = null;
        }
    }

    @Override
    public void onPathChallenge(long data) {
        // Answered once the packet is processed, to the address it came from (RFC 9000 8.2.2).
        responseOwed = true;
        responseData = data;
    }

    @Override
    public void onPathResponse(long data) {
        if (candidate != null && data == challenge && candidate.equals(arrivingFrom)) {
            // The peer receives at the new address: its NAT rebound, or it moved. Follow it.
            remote = candidate;
            candidate = null;
            rebinds++;
        }
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

    public InetSocketAddress remoteAddress() {
        return remote;
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

    public long rebinds() {
        return rebinds;
    }

    /** PATH_CHALLENGE frames sent: one per new address seen, and again if the answer is slow. */
    public long pathChallenges() {
        return challengesSent;
    }
}
