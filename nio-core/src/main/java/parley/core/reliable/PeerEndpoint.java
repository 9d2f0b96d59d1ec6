package parley.core.reliable;

import parley.core.crypto.SessionKeys;
import parley.core.crypto.X25519KeyPair;
import parley.core.loop.EventLoop;
import parley.core.udp.DatagramHandler;
import parley.core.udp.UdpChannel;
import parley.core.util.LongObjectMap;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;

/**
 * The process's peer-to-peer socket: one UDP channel on the loop, carrying every peer session.
 * A datagram is matched to its session by the destination session id it carries, through a
 * primitive-keyed map, never by its source address, so a peer whose address changes keeps its
 * session as long as its packets authenticate. Datagrams that are not peer packets go to an
 * optional handler (the registry's probe answers arrive on the same socket).
 *
 * <p>Sends made during one loop turn are flushed together on the next, which is what packs many
 * small messages and acks into each datagram. Loop thread only.
 */
public final class PeerEndpoint implements DatagramHandler {
    private final EventLoop loop;
    private final ReliableConfig config;
    private final UdpChannel channel;
    private final LongObjectMap<PeerSession> sessions = new LongObjectMap<>();
    /** Reads arriving datagrams; {@link #outPacket} writes leaving ones (a send may happen mid-receive). */
    private final PeerPacket inPacket = new PeerPacket();
    private final PeerPacket outPacket = new PeerPacket();
    private final ByteBuffer plaintext;
    private final ByteBuffer sealed;
    /** A sealed datagram behind its {@link RelayPrefix}, for a relayed path. */
    private final ByteBuffer relayed;
    private final ByteBuffer sealedAad;
    private final ByteBuffer opened;
    private final ByteBuffer inCopy;
    private final Runnable flushDirty = this::flushDirty;
    private final SecureRandom pathRandom = new SecureRandom();
    /** The largest datagram sent or accepted: the base size, or the probing ceiling above it (PROTOCOL.md 9.8). */
    private final int ceiling;
    private InterfaceMtu interfaces;
    private DatagramPath path;
    private DatagramHandler stray;
    /** Told every session's keys when a key log is on (PROTOCOL.md 12); null otherwise. */
    private SessionKeyLog keyLog;
    private PeerSession[] dirty = new PeerSession[16];
    private int dirtyCount;
    private boolean flushQueued;
    private ByteBuffer inBuffer;
    private ByteBuffer inSource;
    private final ByteBuffer inAad;
    private final ByteBuffer inSealed;

    private long notPeerPackets;
    private long unknownSession;
    private long authFailures;
    private long malformed;

    private PeerEndpoint(EventLoop loop, ReliableConfig config, InetSocketAddress bind) throws IOException {
        this.loop = loop;
        this.config = config;
        this.ceiling = Math.min(ReliableConfig.MAX_UDP_PAYLOAD, Math.max(config.maxDatagram, config.datagramCeiling));
        this.interfaces = ceiling > config.maxDatagram ? InterfaceMtu.read() : new InterfaceMtu(0, 0);
        this.plaintext = ByteBuffer.allocate(ceiling);
        // Heap, not direct: the AEAD works on the backing arrays in place.
        this.sealed = ByteBuffer.allocate(ceiling);
        // A relayed path stays at the base size (the relay forwards no more, PROTOCOL.md 7.8).
        this.relayed = ByteBuffer.allocate(RelayPrefix.LENGTH + config.maxDatagram);
        this.inCopy = ByteBuffer.allocate(ceiling);
        this.inAad = inCopy.duplicate();
        this.inSealed = inCopy.duplicate();
        this.sealedAad = sealed.duplicate();
        this.opened = ByteBuffer.allocate(ceiling);
        // Room for the largest datagram, and for a base-size one behind a RELAY prefix.
        this.channel = UdpChannel.open(loop, bind, this,
                Math.min(ReliableConfig.MAX_UDP_PAYLOAD, Math.max(ceiling, config.maxDatagram + RelayPrefix.LENGTH)));
        this.path = channel::send;
    }

    /** Binds the peer socket on {@code loop}. Loop thread only. */
    public static PeerEndpoint open(EventLoop loop, InetSocketAddress bind, ReliableConfig config) throws IOException {
        loop.assertInLoop();
        if (config.maxDatagram <= PeerPacket.OVERHEAD + Frames.ACK_MAX) {
            throw new IllegalArgumentException("maxDatagram too small for a packet with an ack");
        }
        return new PeerEndpoint(loop, config, bind);
    }

    /**
     * Opens a session with a peer whose public key and session id came through the registry.
     * Both sides derive the same keys; the first authenticated datagram from either side is
     * the handshake's end.
     */
    public PeerSession openSession(long localId, long remoteId, X25519KeyPair keys, byte[] remotePublicKey,
                                   InetSocketAddress remote, SessionListener listener) {
        return openSession(localId, remoteId, keys, remotePublicKey, PathPlan.direct(remote), listener);
    }

    /**
     * Opens a session whose path follows {@code plan}: relay first and punching when the registry
     * granted a relay (PROTOCOL.md 7.8), else straight to the one address it gave.
     */
    public PeerSession openSession(long localId, long remoteId, X25519KeyPair keys, byte[] remotePublicKey,
                                   PathPlan plan, SessionListener listener) {
        loop.assertInLoop();
        if (sessions.get(localId) != null) {
            throw new IllegalArgumentException("session id " + localId + " is in use");
        }
        SessionKeys derived = SessionKeys.derive(keys, localId, remotePublicKey, remoteId);
        PeerSession s = new PeerSession(this, localId, remoteId, derived, plan, listener, loop.nanoTime());
        sessions.put(localId, s);
        if (keyLog != null) {
            keyLog.sessionOpened(localId, remoteId, derived);
        }
        // Say hello at once, so that the peer's side sees us alive and NAT mappings open both ways.
        s.reliable.ping(loop.nanoTime());
        s.reschedule();
        return s;
    }

    public PeerSession session(long localId) {
        return sessions.get(localId);
    }

    /** Puts a fault injector (or any path) in front of the socket. */
    public void path(java.util.function.UnaryOperator<DatagramPath> wrap) {
        this.path = wrap.apply(channel::send);
    }

    /** Writes every session's keys to a debugging key log (PROTOCOL.md 12); null turns it off. */
    public void keyLog(SessionKeyLog log) {
        this.keyLog = log;
    }

    /** Replaces the interface MTUs read at open: for tests on an in-memory network. Loop thread. */
    void interfaceMtu(InterfaceMtu mtu) {
        this.interfaces = mtu;
    }

    /** Receives datagrams that are not peer packets. */
    public void strayHandler(DatagramHandler handler) {
        this.stray = handler;
    }

    /** Sends a raw datagram from this socket (for example a probe to the registry). */
    public boolean sendRaw(ByteBuffer datagram, InetSocketAddress to) {
        return channel.send(datagram, to);
    }

    @Override
    public void onDatagram(UdpChannel ch, InetSocketAddress from, ByteBuffer d) {
        int at = d.position();
        int length = d.remaining();
        if (!PeerPacket.claimsPeerPacket(d, at, length)) {
            if (stray != null) {
                stray.onDatagram(ch, from, d);
            } else {
                notPeerPackets++;
            }
            return;
        }
        PeerPacket packet = inPacket.wrap(d, at);
        if (length > ceiling || !packet.wellFormed(length)) {
            malformed++;
            return;
        }
        PeerSession s = sessions.get(packet.sessionId());
        if (s == null) {
            unknownSession++;
            return;
        }
        int flags = packet.flags();
        if (!s.aead.accepts(flags)) {
            malformed++; // AES-256-GCM to a session that did not offer it (PROTOCOL.md 9.2): no decryption
            return;
        }
        long pn = packet.packetNumber();
        if (s.reliable.isDuplicate(pn)) {
            // A number already taken is a replay or a copy: drop it before paying for decryption.
            s.reliable.countDuplicate();
            return;
        }
        // The socket's buffer is direct; the AEAD works on arrays, so take one copy into ours.
        views(d);
        inSource.limit(at + length).position(at);
        inCopy.clear();
        inCopy.put(inSource).flip();
        inAad.limit(PeerPacket.AAD_LENGTH).position(0);
        inSealed.limit(length).position(PeerPacket.SEALED_OFFSET);
        opened.clear();
        if (!s.aead.open(flags, pn, inAad, inSealed, opened)) {
            authFailures++;
            return;
        }
        opened.flip();
        long now = loop.nanoTime();
        boolean newest = pn > s.reliable.largestReceivedPacket();
        s.arriving(from);
        if (s.reliable.onPacket(pn, opened, now) && s.isOpen()) {
            s.received(length, from, now, newest);
        }
        if (s.isOpen()) {
            markDirty(s);
        }
    }

    // The receive buffer is the channel's, the same object every time: make our view of it once.
    private void views(ByteBuffer d) {
        if (d != inBuffer) {
            inBuffer = d;
            inSource = d.duplicate();
        }
    }

    @Override
    public void onWritable(UdpChannel ch) {
        sessions.forEachValue(this::markDirty);
    }

    void markDirty(PeerSession s) {
        if (s.dirty) {
            return;
        }
        s.dirty = true;
        if (dirtyCount == dirty.length) {
            dirty = java.util.Arrays.copyOf(dirty, dirtyCount * 2);
        }
        dirty[dirtyCount++] = s;
        if (!flushQueued) {
            flushQueued = true;
            loop.execute(flushDirty);
        }
    }

    private void flushDirty() {
        flushQueued = false;
        long now = loop.nanoTime();
        int n = dirtyCount;
        dirtyCount = 0;
        for (int i = 0; i < n; i++) {
            PeerSession s = dirty[i];
            dirty[i] = null;
            s.dirty = false;
            if (s.isOpen()) {
                s.reliable.flush(now);
                s.reschedule();
            }
        }
    }

    /** 8 unpredictable bytes for a PATH_CHALLENGE: an off-path attacker must not guess them. */
    long pathChallengeData() {
        return pathRandom.nextLong();
    }

    /** Resumes delivery on every session: the application can take messages again. */
    public void resumeDelivery() {
        sessions.forEachValue(PeerSession::resumeDelivery);
    }

    void remove(PeerSession s) {
        sessions.remove(s.localId());
    }

    public void close() {
        sessions.forEachValue(PeerSession::close);
        channel.close();
    }

    EventLoop loop() {
        return loop;
    }

    ReliableConfig config() {
        return config;
    }

    /** The flyweight sessions write their packets' clear prefix with. */
    PeerPacket outPacket() {
        return outPacket;
    }

    DatagramPath path() {
        return path;
    }

    /** The buffer a packet's frames are written to, limited to the largest datagram; the session narrows it. */
    ByteBuffer plaintextBuffer() {
        plaintext.clear();
        plaintext.limit(ceiling - PeerPacket.OVERHEAD);
        return plaintext;
    }

    /**
     * The largest datagram path-MTU probing may try on a direct path to {@code peer}: the ceiling,
     * capped by the local interface's MTU (PROTOCOL.md 9.8); the base size if that is not known.
     */
    int datagramCeiling(InetSocketAddress peer) {
        return Math.max(config.maxDatagram, Math.min(ceiling, interfaces.maxPayload(peer)));
    }

    ByteBuffer sealBuffer() {
        sealed.clear();
        return sealed;
    }

    /** {@code datagram} (position to limit) copied behind a RELAY prefix with {@code token}; ready to send. */
    ByteBuffer relayWrap(ByteBuffer datagram, byte[] token) {
        relayed.clear();
        RelayPrefix.write(relayed, 0, token, datagram.remaining());
        relayed.position(RelayPrefix.LENGTH);
        relayed.put(datagram).flip();
        return relayed;
    }

    ByteBuffer sealAad() {
        return sealedAad;
    }

    public InetSocketAddress localAddress() {
        return channel.localAddress();
    }

    public int sessionCount() {
        return sessions.size();
    }

    public long notPeerPackets() {
        return notPeerPackets;
    }

    public long unknownSessionDrops() {
        return unknownSession;
    }

    public long authFailures() {
        return authFailures;
    }

    public long malformedDrops() {
        return malformed;
    }

    public UdpChannel channel() {
        return channel;
    }
}
