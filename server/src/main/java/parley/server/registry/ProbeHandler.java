package parley.server.registry;

import parley.core.udp.DatagramHandler;
import parley.core.udp.UdpChannel;
import parley.core.wire.BodyWriter;
import parley.core.wire.Flags;
import parley.core.wire.Header;
import parley.core.wire.MessageClass;
import parley.server.protocol.ObservedAddress;
import parley.server.protocol.ProbeChallenge;
import parley.server.protocol.ProbeConfirm;
import parley.server.protocol.ProbeMac;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.UdpProbe;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

/**
 * The registry's UDP port. A peer sends UDP_PROBE so the registry learns the address its
 * datagrams come from (the outside of any NAT), which other peers may then be given as the user's
 * observed endpoint.
 *
 * <p>A probe carries no secret, only proof: the login's probe id, a counter and an HMAC keyed by
 * the probe key that LOGIN_FINISH handed out over TLS ({@link ProbeMac}). A bad MAC is dropped; so
 * is a counter not above the last accepted one, so a captured probe or confirmation replayed from
 * any address does nothing. The MAC is checked before the rate, so forged datagrams that name a
 * session's id cannot use up that session's probes.
 *
 * <p>A valid probe is still no proof of its source address (an on-path observer can delay one and
 * send it from elsewhere first). So an address is confirmed before it is used: a probe from any
 * address other than the confirmed one is answered only with PROBE_CHALLENGE, 16 random bytes sent
 * to that address, and the address becomes the observed endpoint when a PROBE_CONFIRM made with the
 * key echoes the challenge from that same address within {@link #CHALLENGE_TIMEOUT_NANOS}. Probes
 * and confirmations are limited per session ({@link #PROBE_BURST}, then one per
 * {@link #PROBE_INTERVAL_NANOS}) so the port cannot be made to send a stream of challenges at a
 * victim; each answer is no larger than the datagram that caused it.
 *
 * <p>Datagrams that are malformed, carry an unknown id, a bad MAC or a used counter, are over the
 * rate, or confirm a wrong or stale challenge are dropped without an answer and counted.
 */
final class ProbeHandler implements DatagramHandler {
    static final int PROBE_BODY = UdpProbe.BODY_BYTES;
    static final int CONFIRM_BODY = ProbeConfirm.BODY_BYTES;
    static final int PROBE_BURST = 5;
    static final long PROBE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final long CHALLENGE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int REPLY_CAPACITY = 128;

    private final Sessions sessions;
    private final Timers timers;
    private final Header header = new Header();
    private final BodyWriter writer = new BodyWriter();
    private final ByteBuffer reply = ByteBuffer.allocateDirect(REPLY_CAPACITY);
    private final SecureRandom random = new SecureRandom();
    private final ProbeMac mac = new ProbeMac();
    private long dropped;

    ProbeHandler(Sessions sessions, Timers timers) {
        this.sessions = sessions;
        this.timers = timers;
    }

    @Override
    public void onDatagram(UdpChannel ch, InetSocketAddress from, ByteBuffer d) {
        int at = d.position();
        int length = d.remaining();
        if (length < Header.LENGTH) {
            dropped++;
            return;
        }
        Header h = header.wrap(d, at);
        int op = h.opcode();
        int body = op == RegistryOpcodes.UDP_PROBE ? PROBE_BODY : op == RegistryOpcodes.PROBE_CONFIRM ? CONFIRM_BODY : -1;
        if (body < 0 || length != Header.LENGTH + body || h.version() != Header.CURRENT_VERSION
                || h.messageClass() != MessageClass.CONTROL || h.flags() != 0 || h.bodyLength() != body) {
            dropped++;
            return;
        }
        int correlation = h.correlationId();
        int bodyAt = at + Header.LENGTH;
        Session s = sessions.byProbeId(UdpProbe.probeId(d, bodyAt));
        if (s == null || !authentic(s, d, at, op)) {
            dropped++;
            return;
        }
        long now = timers.nanoTime();
        if (!admit(s, now)) {
            dropped++;
            return;
        }
        if (op == RegistryOpcodes.UDP_PROBE) {
            if (from.equals(s.observed)) {
                s.lastActivityNanos = now;
                answerAddress(ch, from, s.observedHost, RegistryOpcodes.UDP_PROBE, correlation);
            } else {
                challenge(ch, s.probe, from, correlation, now);
            }
            return;
        }
        ProbeState p = s.probe;
        if (p.challengedAddress == null || !p.challengedAddress.equals(from) || now - p.challengedAtNanos >= CHALLENGE_TIMEOUT_NANOS
                || ProbeConfirm.challengeHi(d, bodyAt) != p.challengeHi || ProbeConfirm.challengeLo(d, bodyAt) != p.challengeLo) {
            dropped++;
            return;
        }
        p.challengedAddress = null;
        s.observed = from;
        s.observedHost = from.getAddress().getHostAddress();
        s.lastActivityNanos = now;
        answerAddress(ch, from, s.observedHost, RegistryOpcodes.PROBE_CONFIRM, correlation);
    }

    /**
     * True if the MAC is right and the counter is new; the counter is then used up, whatever
     * happens to the datagram next, so the same bytes are never accepted twice.
     */
    private boolean authentic(Session s, ByteBuffer d, int at, int op) {
        int macAt = op == RegistryOpcodes.UDP_PROBE ? UdpProbe.MAC_AT : ProbeConfirm.MAC_AT;
        if (!mac.verify(s.probeKey, d, at, at + macAt)) {
            return false;
        }
        long counter = UdpProbe.counter(d, at + Header.LENGTH);
        if (Long.compareUnsigned(counter, s.probeCounter) <= 0) {
            return false;
        }
        s.probeCounter = counter;
        return true;
    }

    private static boolean admit(Session s, long now) {
        if (s.probe == null) {
            s.probe = new ProbeState();
        }
        if (s.probe.rate.waitNanos(now) > 0) {
            return false;
        }
        s.probe.rate.take(now);
        return true;
    }

    /** A fresh challenge for {@code from}, replacing any earlier one: only the newest address can be confirmed. */
    private void challenge(UdpChannel ch, ProbeState p, InetSocketAddress from, int correlation, long now) {
        p.challengedAddress = from;
        p.challengeHi = random.nextLong();
        p.challengeLo = random.nextLong();
        p.challengedAtNanos = now;
        reply.clear();
        ProbeChallenge.write(writer.wrap(reply, Header.LENGTH), p.challengeHi, p.challengeLo);
        send(ch, from, RegistryOpcodes.PROBE_CHALLENGE, correlation);
    }

    /** The confirmed address back to itself; its text was made once, at confirmation, so a probe allocates nothing. */
    private void answerAddress(UdpChannel ch, InetSocketAddress to, String host, int opcode, int correlation) {
        reply.clear();
        ObservedAddress.write(writer.wrap(reply, Header.LENGTH), host, to.getPort());
        send(ch, to, opcode, correlation);
    }

    private void send(UdpChannel ch, InetSocketAddress to, int opcode, int correlation) {
        header.wrap(reply, 0).set(MessageClass.CONTROL, opcode, Flags.RESPONSE, correlation, writer.length());
        reply.limit(Header.LENGTH + writer.length()).position(0);
        ch.send(reply, to);
    }

    long dropped() {
        return dropped;
    }
}
