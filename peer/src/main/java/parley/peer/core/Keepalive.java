package parley.peer.core;

import parley.core.loop.EventLoop;
import parley.core.loop.Timer;
import parley.core.wire.Header;
import parley.server.protocol.AnnounceEndpoint;
import parley.server.protocol.Heartbeat;
import parley.server.protocol.PresenceState;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.UdpProbe;
import parley.server.protocol.client.RegistryClient;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Keeping a logged-in registry session alive, on the loop: a heartbeat every lease/3 (the reply may
 * change the lease), the UDP endpoint announced once per login, and a UDP_PROBE with each heartbeat
 * so the registry learns the address others reach us at. {@link RegistryLink} owns the connection
 * and the login; this owns what runs while logged in.
 */
final class Keepalive {
    private final EventLoop loop;
    private final PeerConfig config;
    private final RegistryLink.Owner owner;
    /** The link's current connection (a reconnect replaces it). */
    private final Supplier<RegistryClient> client;
    private final BooleanSupplier loggedIn;
    /** The login attempt the probes are numbered by (LoginFlow). */
    private final IntSupplier attempt;
    private final Timer heartbeatTimer = new Timer(this::heartbeat);
    private final ByteBuffer probe = ByteBuffer.allocate(Header.LENGTH + UdpProbe.BODY_BYTES);
    private final ProbeKeys probeKeys = new ProbeKeys();
    private long leaseNanos;

    Keepalive(EventLoop loop, PeerConfig config, RegistryLink.Owner owner, Supplier<RegistryClient> client,
              BooleanSupplier loggedIn, IntSupplier attempt) {
        this.loop = loop;
        this.config = config;
        this.owner = owner;
        this.client = client;
        this.loggedIn = loggedIn;
        this.attempt = attempt;
        this.leaseNanos = config.defaultLeaseNanos;
    }

    long leaseNanos() {
        return leaseNanos;
    }

    /** This login's probe id, key and counter, shared with {@link ProbeResponder}. */
    ProbeKeys probeKeys() {
        return probeKeys;
    }

    /** Just logged in: announce the UDP endpoint and start the heartbeats (with their probes). */
    void start() {
        announce();
        heartbeat(loop.nanoTime());
    }

    /** Logged out, disconnected or stopped: no more heartbeats. */
    void stop() {
        loop.cancel(heartbeatTimer);
    }

    private void heartbeat(long now) {
        if (!loggedIn.getAsBoolean()) {
            return;
        }
        client.get().request(RegistryOpcodes.HEARTBEAT, w -> Heartbeat.encodeRequest(w, PresenceState.ONLINE), (err, reason, body) -> {
            if (err == 0 && body != null && body.remaining() > 0) {
                int leaseMs = Heartbeat.decodeReply(body);
                if (leaseMs > 0) {
                    leaseNanos = TimeUnit.MILLISECONDS.toNanos(leaseMs);
                }
                owner.onHeartbeat(leaseNanos);
            }
        });
        probe();
        loop.schedule(heartbeatTimer, now + leaseNanos / 3);
    }

    private void announce() {
        InetSocketAddress udp = owner.udpAddress();
        String host = config.announceHost != null ? config.announceHost : LocalAddress.towards(config.server);
        client.get().request(RegistryOpcodes.ANNOUNCE_ENDPOINT, w -> new AnnounceEndpoint(host, udp.getPort()).encode(w), (err, reason, body) -> {
            if (err != 0 && err != RegistryClient.CONNECTION_LOST) {
                owner.error(ErrorText.code(err), "could not announce the UDP endpoint " + host + ":" + udp.getPort() + ": " + reason);
            }
        });
    }

    /** UDP_PROBE from our UDP socket, so the registry learns the address others can reach us at. */
    private void probe() {
        probeKeys.writeProbe(probe, attempt.getAsInt());
        owner.sendProbe(probe, config.registryUdp());
    }
}
