package parley.peer.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.loop.EventLoop;
import parley.core.loop.WorkQueue;
import parley.peer.identity.IdentityKeys;
import parley.peer.store.LocalStore;
import parley.server.protocol.IdentityBundle;
import parley.server.protocol.NameBody;
import parley.server.protocol.RegistryOpcodes;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The identities sealed mail uses, for as long as the peer has no identity book of its own:
 * loads (or makes) this device's {@code identity.key} beside the account's history on the hashing
 * worker, registers its bundle with SET_IDENTITY, and looks contacts' bundles up with
 * IDENTITY_LOOKUP, checking each signature off the loop and keeping it for the login. The peer's
 * identity book (pinning, {@code identity_changed}, issue 13's identity part) replaces this class
 * by implementing {@link MailIdentity} itself.
 */
final class DeviceIdentity implements MailIdentity {
    private static final Logger log = LoggerFactory.getLogger(DeviceIdentity.class);

    private final EventLoop loop;
    private final WorkQueue<Runnable> worker;
    private final RegistryRequests link;
    private final Path dataDir;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, IdentityBundle> known = new HashMap<>();
    private final Map<String, List<Consumer<IdentityBundle>>> asked = new HashMap<>();
    private volatile IdentityKeys keys;

    DeviceIdentity(EventLoop loop, WorkQueue<Runnable> worker, RegistryRequests link, Path dataDir) {
        this.loop = loop;
        this.worker = worker;
        this.link = link;
        this.dataDir = dataDir;
    }

    @Override
    public IdentityKeys keys() {
        return keys;
    }

    /**
     * After login: keys loaded on the worker, bundle registered (SET_IDENTITY is idempotent and
     * durable), then {@code ready} runs on the loop; {@code failed} gets a message instead.
     */
    void loggedIn(String user, Consumer<IdentityKeys> ready, Consumer<String> failed) {
        known.clear();
        worker.offer(() -> {
            IdentityKeys k;
            try {
                k = IdentityKeys.loadOrCreate(IdentityKeys.fileBeside(LocalStore.fileFor(dataDir, user)), random);
            } catch (Exception e) {
                loop.execute(() -> failed.accept("cannot load or create the identity key: " + e.getMessage()));
                return;
            }
            loop.execute(() -> {
                keys = k;
                link.request(RegistryOpcodes.SET_IDENTITY, w -> k.bundle().encode(w), (err, reason, body) -> {
                    if (err != 0) {
                        failed.accept("could not register this device's identity key: " + reason);
                        return;
                    }
                    ready.accept(k);
                });
            });
        });
    }

    void loggedOut() {
        keys = null;
        known.clear();
    }

    @Override
    public void bundleOf(String user, Consumer<IdentityBundle> onLoop) {
        String k = user.toLowerCase(Locale.ROOT);
        IdentityBundle b = known.get(k);
        if (b != null) {
            onLoop.accept(b);
            return;
        }
        List<Consumer<IdentityBundle>> waiting = asked.get(k);
        if (waiting != null) {
            waiting.add(onLoop);
            return;
        }
        waiting = new ArrayList<>();
        waiting.add(onLoop);
        asked.put(k, waiting);
        link.request(RegistryOpcodes.IDENTITY_LOOKUP, w -> NameBody.write(w, user), (err, reason, body) -> {
            IdentityBundle found = null;
            if (err == 0) {
                try {
                    found = IdentityBundle.readOptional(body);
                    body.end();
                } catch (RuntimeException e) {
                    log.warn("malformed IDENTITY_LOOKUP answer for {}", user);
                    found = null;
                }
            } else {
                log.info("no identity for {}: {} {}", user, err, reason);
            }
            IdentityBundle candidate = found;
            if (candidate == null) {
                answer(k, null);
                return;
            }
            worker.offer(() -> {
                boolean ok = candidate.verify();
                loop.execute(() -> {
                    if (!ok) {
                        log.warn("the registry gave a forged identity bundle for {}", user);
                    } else {
                        known.put(k, candidate);
                    }
                    answer(k, ok ? candidate : null);
                });
            });
        });
    }

    private void answer(String k, IdentityBundle b) {
        List<Consumer<IdentityBundle>> waiting = asked.remove(k);
        if (waiting != null) {
            for (Consumer<IdentityBundle> c : waiting) {
                c.accept(b);
            }
        }
    }
}
