package parley.peer.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.loop.EventLoop;
import parley.core.loop.Timer;
import parley.core.tcp.CloseReason;
import parley.core.wire.BodyReader;
import parley.core.wire.MessageClass;
import parley.peer.auth.SaltedPasswordCache;
import parley.core.loop.WorkQueue;
import parley.server.protocol.client.RegistryClient;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.IdentityBundle;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.SessionClosed;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Random;

/**
 * The peer's side of the registry connection, on the loop: connect and reconnect with backoff,
 * register and log in (the exchange itself is {@link LoginFlow}), log in again by itself after a
 * reconnect from the cached SaltedPassword, keep the login alive ({@link Keepalive}: heartbeats,
 * the UDP endpoint and probes), and route each push to the part of the peer that owns it.
 */
final class RegistryLink implements RegistryClient.Listener, RegistryRequests, LoginFlow.Link {
    private static final Logger log = LoggerFactory.getLogger(RegistryLink.class);

    /** What the link tells the core. Loop thread. */
    interface Owner {
        void onLoggedIn(String user, int visibility, boolean relogin, IdentityBundle storedIdentity);

        /** This device's identity bundle for {@code name} (section 7.9), or null. Worker thread. */
        IdentityBundle identityFor(String name);

        void onLoginFailed(String code, String message, boolean relogin);

        void onRegistered(String user);

        void onLinkEvent(String state, String detail);

        void onLinkDown();

        /** The registry presented a key other than the pinned one: refused, say so loudly. */
        void onServerKeyChanged(String message);

        void onHeartbeat(long leaseNanos);

        void sendProbe(ByteBuffer datagram, InetSocketAddress to);

        InetSocketAddress udpAddress();

        void error(String code, String message);
    }

    private final EventLoop loop;
    private final PeerConfig config;
    private final Owner owner;
    private final LoginFlow login;
    private final Backoff backoff;
    private final Timer reconnectTimer = new Timer(now -> connect());
    /** Heartbeats, the endpoint announcement and the UDP probes while logged in. */
    private final Keepalive keepalive;
    /** Who owns each push: ContactBook, Introductions. */
    private final PushRoutes pushes = new PushRoutes();
    private RegistryClient client;
    /** One SSLContext for the process: every reconnect resumes the TLS session. */
    private final RegistryTls tls;
    // Register and login typed while the connection is still being made run once it is up.
    private final java.util.ArrayDeque<Runnable> whenConnected = new java.util.ArrayDeque<>();
    private LinkState state = LinkState.DISCONNECTED;
    private boolean everConnected;
    private boolean reportedUnreachable;

    // Kept after a successful login so a reconnect can log in again without the password.
    private String user;
    private SaltedPasswordCache credentials;

    RegistryLink(EventLoop loop, PeerConfig config, Owner owner, WorkQueue<Runnable> hashing) {
        this.loop = loop;
        this.config = config;
        this.owner = owner;
        this.login = new LoginFlow(loop, hashing, config.scramIterations, this);
        this.backoff = new Backoff(config.reconnectBaseNanos, config.reconnectMaxNanos, new Random(config.jitterSeed));
        this.keepalive = new Keepalive(loop, config, owner, this::client, this::loggedIn, login::attempt);
        try {
            this.tls = RegistryTls.of(config);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e, e);
        }
    }

    LinkState state() {
        return state;
    }

    boolean loggedIn() {
        return state == LinkState.LOGGED_IN;
    }

    @Override
    public boolean connected() {
        return client != null && client.isConnected();
    }

    @Override
    public String user() {
        return user;
    }

    long leaseNanos() {
        return keepalive.leaseNanos();
    }

    void start() {
        connect();
    }

    private void connect() {
        if (state == LinkState.STOPPED) {
            return;
        }
        state = LinkState.CONNECTING;
        try {
            client = RegistryClient.connect(loop, config.server, this, tls.config());
        } catch (Exception e) {
            retryLater("cannot connect: " + e.getMessage());
        }
    }

    private void retryLater(String why) {
        state = LinkState.DISCONNECTED;
        while (!whenConnected.isEmpty()) {
            whenConnected.poll().run(); // now fails with "unreachable" instead of waiting unseen
        }
        long delay = backoff.next();
        if (!reportedUnreachable) {
            reportedUnreachable = true;
            owner.onLinkEvent(everConnected ? "lost" : "unreachable", "registry " + hostPort() + " " + why
                    + "; retrying in the background");
        }
        log.debug("reconnect to {} in {} ms ({})", hostPort(), delay / 1_000_000, why);
        loop.schedule(reconnectTimer, loop.nanoTime() + delay);
    }

    String hostPort() {
        return config.server.getHostString() + ":" + config.server.getPort();
    }

    @Override
    public void onConnected(RegistryClient c) {
        if (c != client) {
            return;
        }
        state = LinkState.CONNECTED;
        boolean again = everConnected || reportedUnreachable;
        everConnected = true;
        reportedUnreachable = false;
        if (again) {
            owner.onLinkEvent("connected", "registry " + hostPort());
        }
        if (credentials != null) {
            startLogin(user, credentials, true);
        }
        while (!whenConnected.isEmpty() && connected()) {
            whenConnected.poll().run();
        }
    }

    /** True when the command was deferred until the connection being made is up. */
    private boolean deferWhileConnecting(Runnable command) {
        if (state == LinkState.CONNECTING && !everConnected && !reportedUnreachable) {
            whenConnected.add(command);
            return true;
        }
        return false;
    }

    @Override
    public void onDisconnected(RegistryClient c, CloseReason reason) {
        if (c != client) {
            return;
        }
        boolean wasLoggedIn = state == LinkState.LOGGED_IN;
        keepalive.stop();
        if (state == LinkState.STOPPED) {
            return;
        }
        login.abandon();
        if (wasLoggedIn) {
            owner.onLinkDown();
        }
        parley.core.tls.ServerKeyChangedException changed = RegistryTls.keyChanged(c.tlsFailure());
        if (changed != null && !reportedUnreachable) {
            owner.onServerKeyChanged(changed.getMessage()); // loud, once; the retries fail the same way
        }
        retryLater(reason == CloseReason.CONNECT_FAILED ? "is unreachable" : "connection lost (" + reason + ")");
    }

    @Override
    public void onConnectionError(RegistryClient c, int code, String reason) {
        log.debug("registry error on the connection: {} {}", RegistryClient.errorName(code), reason);
    }

    @Override
    public void onPush(RegistryClient c, int opcode, BodyReader body) {
        if (opcode == RegistryOpcodes.SESSION_CLOSED) {
            SessionClosed closed = SessionClosed.decode(body);
            int code = closed.code();
            String reason = closed.reason();
            if (code == RegistryErrors.SESSION_REPLACED) {
                // Someone logged in as us elsewhere: logging back in would fight them for the account.
                credentials = null;
                owner.error(RegistryClient.errorName(code), "logged out: " + reason + "; /login to take the account back");
            }
            return;
        }
        pushes.route(opcode, body, owner::error);
    }

    @Override
    public void onPush(int opcode, Push handler) {
        pushes.register(opcode, handler);
    }

    /** Sends a request if logged in; otherwise answers at once with why not. */
    @Override
    public void request(int opcode, RegistryClient.Body body, RegistryClient.Reply reply) {
        if (deferWhileConnecting(() -> request(opcode, body, reply))) {
            return;
        }
        if (state != LinkState.LOGGED_IN) {
            notReady(reply);
            return;
        }
        client.request(opcode, body, reply);
    }

    private void notReady(RegistryClient.Reply reply) {
        if (!connected()) {
            reply.onReply(RegistryClient.CONNECTION_LOST, "the registry " + hostPort() + " is unreachable", null);
        } else {
            reply.onReply(RegistryErrors.NOT_AUTHENTICATED, "not logged in", null);
        }
    }

    // ---- register and log in -------------------------------------------------------------------

    void register(String name, String password) {
        if (deferWhileConnecting(() -> register(name, password))) {
            return;
        }
        if (!connected()) {
            owner.error(ErrorText.code(RegistryClient.CONNECTION_LOST), ErrorText.explain(RegistryClient.CONNECTION_LOST,
                    "no connection to " + hostPort(), name));
            return;
        }
        login.register(name, password);
    }

    void login(String name, String password) {
        if (state == LinkState.LOGGED_IN || state == LinkState.LOGGING_IN) {
            owner.error(RegistryErrors.name(RegistryErrors.ALREADY_AUTHENTICATED),
                    "already " + (state == LinkState.LOGGED_IN ? "logged in as " + user : "logging in") + ": /logout first");
            return;
        }
        if (deferWhileConnecting(() -> login(name, password))) {
            return;
        }
        if (!connected()) {
            owner.error(ErrorText.code(RegistryClient.CONNECTION_LOST), ErrorText.explain(RegistryClient.CONNECTION_LOST,
                    "no connection to " + hostPort(), name));
            return;
        }
        startLogin(name, new SaltedPasswordCache(password), false);
    }

    private void startLogin(String name, SaltedPasswordCache cache, boolean relogin) {
        state = LinkState.LOGGING_IN;
        login.start(name, cache, relogin);
    }

    @Override
    public RegistryClient client() {
        return client;
    }

    @Override
    public void registered(String name) {
        owner.onRegistered(name);
    }

    @Override
    public void error(String code, String message) {
        owner.error(code, message);
    }

    @Override
    public IdentityBundle identityFor(String name) {
        return owner.identityFor(name);
    }

    @Override
    public void loggedIn(String registered, SaltedPasswordCache cache, long probeId, byte[] probeKey, int visibility, boolean relogin,
                         IdentityBundle storedIdentity) {
        state = LinkState.LOGGED_IN;
        backoff.reset();
        user = registered;
        credentials = cache;
        keepalive.probeKeys().reset(probeId, probeKey);
        owner.onLoggedIn(registered, visibility, relogin, storedIdentity);
        keepalive.start();
    }

    @Override
    public void loginFailed(int err, String reason, String name, boolean relogin) {
        if (err == RegistryClient.CONNECTION_LOST && relogin) {
            if (state == LinkState.LOGGING_IN) {
                state = connected() ? LinkState.CONNECTED : LinkState.DISCONNECTED;
            }
            return; // the reconnect will try again
        }
        refuseLogin(ErrorText.code(err), ErrorText.explain(err, reason, name), relogin);
    }

    @Override
    public void refuseLogin(String code, String message, boolean relogin) {
        if (state == LinkState.LOGGING_IN) {
            state = connected() ? LinkState.CONNECTED : LinkState.DISCONNECTED;
        }
        if (relogin) {
            credentials = null;
        }
        owner.onLoginFailed(code, message, relogin);
    }

    void logout(Runnable done) {
        credentials = null;
        keepalive.stop();
        if (state != LinkState.LOGGED_IN) {
            done.run();
            return;
        }
        state = LinkState.CONNECTED;
        client.request(RegistryOpcodes.LOGOUT, (err, reason, body) -> done.run());
    }

    /** This login's probe id, key and counter, shared with {@link ProbeResponder}. */
    ProbeKeys probeKeys() {
        return keepalive.probeKeys();
    }

    void stop() {
        state = LinkState.STOPPED;
        tls.close();
        loop.cancel(reconnectTimer);
        keepalive.stop();
        if (client != null) {
            client.close();
        }
    }
}
