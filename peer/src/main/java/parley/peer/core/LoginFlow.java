package parley.peer.core;

import parley.core.loop.EventLoop;
import parley.peer.auth.SaltedPasswordCache;
import parley.core.loop.WorkQueue;
import parley.server.protocol.scram.ScramClient;
import parley.server.protocol.scram.ScramKeys;
import parley.server.protocol.scram.ScramException;
import parley.server.protocol.client.RegistryClient;
import parley.server.protocol.RegistryErrors;
import parley.core.wire.WireException;
import parley.server.protocol.IdentityBundle;
import parley.server.protocol.LoginFinishReply;
import parley.server.protocol.RegisterRequest;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.ScramText;

import java.security.SecureRandom;

/**
 * REGISTER and the SCRAM-SHA-256 login (LOGIN_START, LOGIN_FINISH) over the registry link. PBKDF2
 * and the SCRAM proofs run on the hashing worker, never on the loop; each step comes back with
 * {@code loop.execute}. Logins are numbered: an answer to an older attempt (one the connection
 * dropped under) is ignored. The link keeps the state; this class only runs the exchange.
 */
final class LoginFlow {
    private static final int SALT_BYTES = 16;
    /** Error code of a login the peer refused because the registry answered with another name. */
    static final String BAD_LOGIN_NAME = "BAD_LOGIN_NAME";

    /** What the exchange needs from the link, and tells it. Loop thread. */
    interface Link {
        /** The current connection. */
        RegistryClient client();

        boolean connected();

        void error(String code, String message);

        void registered(String name);

        void loggedIn(String user, SaltedPasswordCache credentials, long probeId, byte[] probeKey, int visibility,
                      boolean relogin, IdentityBundle storedIdentity);

        /**
         * This device's identity bundle for {@code name}, loaded or made now (section 7.9), or null
         * if it cannot be: then REGISTER carries none and the first login sends it. Worker thread.
         */
        IdentityBundle identityFor(String name);

        /** The registry or the connection failed the login with {@code err}. */
        void loginFailed(int err, String reason, String name, boolean relogin);

        /** The peer refuses the login itself. */
        void refuseLogin(String code, String message, boolean relogin);
    }

    private final EventLoop loop;
    private final WorkQueue<Runnable> hashing;
    private final int iterations;
    private final Link link;
    private final SecureRandom secure = new SecureRandom();
    private int attempt;

    LoginFlow(EventLoop loop, WorkQueue<Runnable> hashing, int iterations, Link link) {
        this.iterations = iterations;
        this.loop = loop;
        this.hashing = hashing;
        this.link = link;
    }

    /** The number of the latest login; it also tags UDP probes. */
    int attempt() {
        return attempt;
    }

    /** The connection dropped: an answer still on its way belongs to no login any more. */
    void abandon() {
        attempt++;
    }

    /** Derives the credentials off the loop, then sends REGISTER. */
    void register(String name, String password) {
        byte[] salt = new byte[SALT_BYTES];
        secure.nextBytes(salt);
        hashing.offer(() -> {
            ScramKeys creds;
            try {
                creds = ScramKeys.derive(password, salt, iterations);
            } catch (IllegalArgumentException e) {
                loop.execute(() -> link.error("BAD_PASSWORD", "unusable password: " + e.getMessage()));
                return;
            }
            IdentityBundle identity = link.identityFor(name); // made here, at /register, off the loop
            loop.execute(() -> sendRegister(name, creds, identity));
        });
    }

    private void sendRegister(String name, ScramKeys creds, IdentityBundle identity) {
        if (!link.connected()) {
            link.error(ErrorText.code(RegistryClient.CONNECTION_LOST),
                    ErrorText.explain(RegistryClient.CONNECTION_LOST, "connection lost", name));
            return;
        }
        link.client().request(RegistryOpcodes.REGISTER, w -> RegisterRequest.of(name, creds, identity).encode(w), (err, reason, body) -> {
                    if (err != 0) {
                        link.error(ErrorText.code(err), ErrorText.explain(err, reason, name));
                    } else {
                        link.registered(name);
                    }
                });
    }

    /** LOGIN_START; the client proof is computed on the hashing worker from the server's first message. */
    void start(String name, SaltedPasswordCache cache, boolean relogin) {
        int mine = ++attempt;
        // SCRAM-SHA-256-PLUS whenever the connection is TLS: the proof is bound to this channel.
        ScramClient scram = new ScramClient(name, cache, ScramClient.newNonce(secure), link.client().channelBinding());
        String first = scram.clientFirst();
        link.client().request(RegistryOpcodes.LOGIN_START, w -> new ScramText(first).encode(w), (err, reason, body) -> {
            if (mine != attempt) {
                return;
            }
            if (err != 0) {
                link.loginFailed(err, reason, name, relogin);
                return;
            }
            String serverFirst = ScramText.decode(body).text();
            hashing.offer(() -> {
                try {
                    String clientFinal = scram.clientFinal(serverFirst);
                    loop.execute(() -> finish(mine, scram, clientFinal, cache, relogin, name));
                } catch (ScramException | RuntimeException e) {
                    loop.execute(() -> {
                        if (mine == attempt) {
                            link.loginFailed(RegistryErrors.AUTH_FAILED, e.getMessage(), name, relogin);
                        }
                    });
                }
            });
        });
    }

    /** LOGIN_FINISH: the registry must prove it holds our ServerKey, and answer with the name we typed. */
    private void finish(int mine, ScramClient scram, String clientFinal, SaltedPasswordCache cache, boolean relogin,
                        String name) {
        if (mine != attempt || !link.connected()) {
            return;
        }
        link.client().request(RegistryOpcodes.LOGIN_FINISH, w -> new ScramText(clientFinal).encode(w), (err, reason, body) -> {
            if (mine != attempt) {
                return;
            }
            if (err != 0) {
                link.loginFailed(err, reason, name, relogin);
                return;
            }
            LoginFinishReply reply;
            try {
                reply = LoginFinishReply.decode(body);
            } catch (WireException e) {
                // e.g. a name longer than any valid one: refused like any other name we did not type.
                refuseName(name, relogin);
                return;
            }
            String serverFinal = reply.serverFinal();
            long probeId = reply.probeId();
            byte[] probeKey = reply.probeKey();
            String registered = reply.name();
            int visibility = reply.visibility();
            try {
                scram.verifyServerFinal(serverFinal);
            } catch (ScramException e) {
                // The other side let us in without knowing our ServerKey: not our registry.
                link.client().close();
                link.loginFailed(RegistryErrors.AUTH_FAILED, "the registry could not prove it holds your account", name,
                        relogin);
                return;
            }
            if (!NetworkNames.valid(registered) || !NetworkNames.same(name, registered)) {
                refuseName(name, relogin);
                return;
            }
            link.loggedIn(registered, cache, probeId, probeKey, visibility, relogin, reply.identity());
        });
    }

    /** The name decides where the history is written: a registry must not choose it. */
    private void refuseName(String name, boolean relogin) {
        link.client().close();
        link.refuseLogin(BAD_LOGIN_NAME, "the registry answered the login for " + name + " with another or an"
                + " invalid user name; login refused, nothing was written", relogin);
    }
}
