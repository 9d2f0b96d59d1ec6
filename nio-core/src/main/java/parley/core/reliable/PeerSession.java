package parley.core.reliable;

import parley.core.crypto.PacketCipher;
import parley.core.crypto.SessionKeys;
import parley.core.loop.Timer;
import parley.core.wire.Header;
import parley.core.wire.MessageClass;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One encrypted, reliable session on a {@link PeerEndpoint}: the reliable logic, its two packet
 * ciphers, where the peer is now, and the loop timer that drives it. Loop thread only.
 */
public final class PeerSession implements ReliableSession.Output {
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

    PeerSession(PeerEndpoint endpoint, long localId, long remoteId, SessionKeys keys, InetSocketAddress remote,
                ReliableSession.Listener listener, long now) {
        this.endpoint = endpoint;
        this.localId = localId;
        this.remoteId = remoteId;
        this.sealer = PacketCipher.sealer(keys.sendKey, keys.sendIv);
        this.opener = PacketCipher.opener(keys.receiveKey, keys.receiveIv);
        this.fingerprint = keys.fingerprint;
        this.remote = remote;
        this.timer = new Timer(this::onTimer);
        this.reliable = new ReliableSession(endpoint.config(), this, new ReliableSession.Listener() {
            @Override
            public void onMessage(ByteBuffer message) {
                listener.onMessage(message);
            }

            @Override
            public void onDelivered(long messageId) {
                listener.onDelivered(messageId);
            }

            @Override
            public void onFailed(long messageId, String reason) {
                listener.onFailed(messageId, reason);
            }

            @Override
            public void onRejected(long messageId, int reason) {
                listener.onRejected(messageId, reason);
            }

            @Override
            public void onDead(String reason) {
                endpoint.remove(PeerSession.this);
                endpoint.loop().cancel(timer);
                listener.onDead(reason);
            }

            @Override
            public void onWritable() {
                listener.onWritable();
            }

            @Override
            public void onRttSample(long rttNanos) {
                listener.onRttSample(rttNanos);
            }
        }, now);
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

    @Override
    public ByteBuffer packetBuffer() {
        return endpoint.plaintextBuffer();
    }

    @Override
    public boolean transmit(ByteBuffer frames, long packetNumber, boolean carriesData) {
        ByteBuffer out = endpoint.sealBuffer();
        int sealedLength = frames.position() + PacketCipher.TAG_LENGTH;
        endpoint.header().wrap(out, 0).set(carriesData ? MessageClass.DATA : MessageClass.CONTROL,
                carriesData ? PeerPacket.PEER_DATA : PeerPacket.PEER_CONTROL, 0, (int) packetNumber, 8 + sealedLength);
        out.putLong(PeerPacket.SESSION_ID_OFFSET, remoteId);
        ByteBuffer aad = endpoint.sealAad();
        aad.limit(PeerPacket.AAD_LENGTH).position(0);
        frames.flip();
        out.limit(PeerPacket.AAD_LENGTH + sealedLength).position(PeerPacket.AAD_LENGTH);
        sealer.seal(packetNumber, aad, frames, out);
        out.flip();
        bytesSent += out.remaining();
        return endpoint.path().send(out, remote);
    }

    void received(int bytes, InetSocketAddress from, boolean newest) {
        bytesReceived += bytes;
        if (newest && !from.equals(remote)) {
            // The peer's address changed (NAT rebinding) but its packets still authenticate.
            remote = from;
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

    static int headerLength() {
        return Header.LENGTH;
    }
}
