package parley.bench.registry;

import parley.core.loop.EventLoop;
import parley.core.tcp.TlsConfig;
import parley.server.protocol.scram.ScramClient;
import parley.server.protocol.scram.ScramKeys;
import parley.server.protocol.client.RegistryClient;
import parley.server.protocol.RegisterRequest;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.ScramText;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens many logged-in registry sessions from one loop. Every bench account shares one salt and
 * password, so PBKDF2 runs once and each login costs the server exactly what a real one does.
 * At most {@code parallel} connections are being set up at a time, to stay inside accept backlogs.
 */
public final class SessionPool {
    private static final String PASSWORD = "bench-password";
    private static final byte[] SALT = "parley-bench-salt".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final EventLoop loop;
    private final InetSocketAddress server;
    private final String prefix;
    private final List<RegistryClient> clients = new ArrayList<>();
    private final ScramKeys credentials = ScramKeys.derive(PASSWORD, SALT, ScramKeys.DEFAULT_ITERATIONS);
    private final byte[] saltedPassword = ScramKeys.saltedPassword(PASSWORD, SALT, ScramKeys.DEFAULT_ITERATIONS);
    private final SecureRandom random = new SecureRandom();
    private final TlsConfig tls;

    public SessionPool(EventLoop loop, InetSocketAddress server, String prefix) {
        this(loop, server, prefix, null);
    }

    /** {@code tls} null: plaintext; else every connection speaks TLS 1.3 and logs in with SCRAM-SHA-256-PLUS. */
    public SessionPool(EventLoop loop, InetSocketAddress server, String prefix, TlsConfig tls) {
        this.tls = tls;
        this.loop = loop;
        this.server = server;
        this.prefix = prefix;
    }

    public List<RegistryClient> clients() {
        return clients;
    }

    /** Fixed-width names, so that a SEARCH for one name matches exactly that one. */
    public String name(int i) {
        return prefix + String.format("%06d", i);
    }

    /** Opens {@code n} connections that do not log in (for servers without accounts). */
    public void connectOnly(int n, int parallel) throws Exception {
        run(n, parallel, (i, done) -> connect(c -> {
            clients.add(c);
            done.accept(null);
        }, done));
    }

    /** Registers accounts {@code prefix0..prefix(n-1)} over a few connections, then closes them. */
    public void register(int n, int parallel) throws Exception {
        run(n, parallel, (i, done) -> connect(c -> c.request(RegistryOpcodes.REGISTER,
                w -> RegisterRequest.of(name(i), credentials).encode(w),
                (error, reason, body) -> {
                    c.close();
                    done.accept(error == 0 ? null : RegistryClient.errorName(error) + ": " + reason);
                }), done));
    }

    /**
     * Logins in flight at once from the bench. The registry charges each LOGIN_FINISH as a failure
     * until its proof checks out, and locks a network out past 20 charged failures
     * (LoginThrottle's network rule): more parallel logins from one address than that are refused
     * as THROTTLED however correct their proofs.
     */
    public static final int MAX_PARALLEL_LOGINS = 16;

    /** Opens {@code n} connections and logs each in as its account; they stay open. */
    public void login(int n, int parallel) throws Exception {
        run(n, Math.min(parallel, MAX_PARALLEL_LOGINS), (i, done) -> connect(c -> {
            // On TLS the server's certificate hash binds the login to this connection (-PLUS),
            // as the peer's LoginFlow does; null on plaintext.
            ScramClient scram = new ScramClient(name(i), (salt, iterations) -> saltedPassword.clone(),
                    ScramClient.newNonce(random), c.channelBinding());
            String first = scram.clientFirst();
            c.request(RegistryOpcodes.LOGIN_START, w -> new ScramText(first).encode(w), (e1, r1, b1) -> {
                if (e1 != 0) {
                    done.accept("LOGIN_START: " + RegistryClient.errorName(e1) + " " + r1);
                    return;
                }
                String fin;
                try {
                    fin = scram.clientFinal(ScramText.decode(b1).text());
                } catch (Exception e) {
                    done.accept("SCRAM: " + e.getMessage());
                    return;
                }
                c.request(RegistryOpcodes.LOGIN_FINISH, w -> new ScramText(fin).encode(w), (e2, r2, b2) -> {
                    if (e2 == 0) {
                        clients.add(c);
                    }
                    done.accept(e2 == 0 ? null : "LOGIN_FINISH: " + RegistryClient.errorName(e2) + " " + r2);
                });
            });
        }, done));
    }

    private interface Step {
        void start(int index, java.util.function.Consumer<String> done);
    }

    private void connect(java.util.function.Consumer<RegistryClient> onConnected, java.util.function.Consumer<String> done) {
        try {
            RegistryClient.connect(loop, server, new RegistryClient.Listener() {
                @Override
                public void onConnected(RegistryClient c) {
                    onConnected.accept(c);
                }

                @Override
                public void onDisconnected(RegistryClient c, parley.core.tcp.CloseReason reason) {
                    if (reason == parley.core.tcp.CloseReason.CONNECT_FAILED) {
                        done.accept("connect failed");
                    } else if (c.tlsFailure() != null) {
                        done.accept("TLS handshake: " + c.tlsFailure());
                    }
                }
            }, tls);
        } catch (Exception e) {
            done.accept("connect: " + e);
        }
    }

    /** Runs {@code step} for 0..n-1 with at most {@code parallel} in flight; fails on the first error. */
    private void run(int n, int parallel, Step step) throws Exception {
        CompletableFuture<Void> all = new CompletableFuture<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        Runnable[] launch = new Runnable[1];
        launch[0] = () -> {
            int i = next.getAndIncrement();
            if (i >= n) {
                return;
            }
            step.start(i, error -> {
                if (error != null) {
                    all.completeExceptionally(new IllegalStateException("session " + i + ": " + error));
                    return;
                }
                if (finished.incrementAndGet() == n) {
                    all.complete(null);
                } else {
                    launch[0].run();
                }
            });
        };
        loop.execute(() -> {
            for (int k = 0; k < Math.min(parallel, n); k++) {
                launch[0].run();
            }
        });
        all.get(Math.max(120, n / 20), TimeUnit.SECONDS);
    }

    /** Closes every session. */
    public void close() throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            clients.forEach(RegistryClient::close);
            clients.clear();
            done.complete(null);
        });
        done.get(60, TimeUnit.SECONDS);
    }

}
