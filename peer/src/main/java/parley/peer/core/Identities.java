package parley.peer.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.peer.event.ClientErrors;
import parley.peer.event.ConsoleEvents;
import parley.peer.event.SessionEvents;
import parley.peer.identity.IdentityKeys;
import parley.peer.identity.SafetyNumber;
import parley.peer.output.EventSink;
import parley.peer.store.IdentityPin;
import parley.peer.store.LocalStore;
import parley.peer.store.StoreWorker;
import parley.server.protocol.IdentityBundle;
import parley.server.protocol.NameBody;
import parley.server.protocol.RegistryOpcodes;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The account's identity on this device and the identities of its contacts (PROTOCOL.md 7.9):
 * loads or makes {@code identity.key} on the worker, replaces the registry's bundle with
 * SET_IDENTITY when it is not ours (migration, reinstall), pins each contact's bundle on first
 * sight, reports a changed one ({@code identity_changed}, verified mark dropped), answers
 * {@code /verify}, and says whether {@code --strict-identity} holds sending to a contact.
 *
 * <p>Pins live in the loop's map, mirrored to the local store; the keys are set on the worker
 * and read from the loop and the worker, hence volatile.
 */
final class Identities {
    private static final Logger log = LoggerFactory.getLogger(Identities.class);

    private final Executor worker;
    private final Executor toLoop;
    private final RegistryRequests link;
    private final StoreWorker storage;
    private final EventSink sink;
    private final Path dataDir;
    private final boolean strict;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, IdentityPin> pins = new HashMap<>();
    /** Told when a contact's held messages may go (confirmed again under --strict-identity). */
    private Consumer<String> onReleased = u -> { };
    private volatile IdentityKeys keys;
    /** Loop: the account's pins were read from its store (or there is none to read). */
    private boolean pinsLoaded;
    /** Loop: /verify typed before the keys and pins were loaded runs once they are. */
    private final java.util.ArrayDeque<Runnable> whenReady = new java.util.ArrayDeque<>();

    Identities(Executor worker, Executor toLoop, RegistryRequests link, StoreWorker storage, EventSink sink, Path dataDir,
               boolean strict) {
        this.worker = worker;
        this.toLoop = toLoop;
        this.link = link;
        this.storage = storage;
        this.sink = sink;
        this.dataDir = dataDir;
        this.strict = strict;
    }

    void onReleased(Consumer<String> callback) {
        this.onReleased = callback;
    }

    private static String key(String user) {
        return user.toLowerCase(Locale.ROOT);
    }

    // ---- our keys --------------------------------------------------------------------------------

    /**
     * This device's keys for {@code user}, loaded or made now (at /register and at login). Blocking:
     * the worker only. It does not change the logged-in account's keys: a /register typed while
     * logged in as someone else must not make this device sign as the new name.
     */
    IdentityKeys keysFor(String user) throws java.io.IOException {
        return IdentityKeys.loadOrCreate(IdentityKeys.fileBeside(LocalStore.fileFor(dataDir, user)), random);
    }

    /** The keys loaded for the logged-in account, or null before. */
    IdentityKeys keys() {
        return keys;
    }

    /** For tests: use these keys without a file, and no stored pins. */
    void useKeys(IdentityKeys k) {
        keys = k;
        pinsLoaded = true;
    }

    private boolean ready() {
        return keys != null && pinsLoaded;
    }

    /** Runs {@code task} on the loop once this login's keys and pins are loaded (now, if they are). */
    void whenReady(Runnable task) {
        whenReady.add(task);
        runWhenReady();
    }

    private void runWhenReady() {
        while (ready() && !whenReady.isEmpty()) {
            whenReady.poll().run();
        }
    }

    /**
     * After login: loads (or makes) this device's keys on the worker, then replaces the stored
     * bundle if it is not ours: none stored (an account older than identities) or another
     * device's (a reinstall). Contacts see the new one at their next introduction.
     */
    void loggedIn(String user, IdentityBundle stored) {
        worker.execute(() -> {
            IdentityKeys k;
            try {
                k = keysFor(user);
                keys = k;
            } catch (Exception e) {
                toLoop.execute(() -> sink.emit(new ConsoleEvents.Error(ClientErrors.STORAGE,
                        "cannot load or create the identity key in " + dataDir + ": " + e.getMessage())));
                return;
            }
            toLoop.execute(() -> {
                runWhenReady();
                if (stored != null && stored.sameAs(k.bundle())) {
                    return;
                }
                link.request(RegistryOpcodes.SET_IDENTITY, w -> k.bundle().encode(w), (err, reason, body) -> {
                    if (err != 0) {
                        sink.emit(new ConsoleEvents.Error(ErrorText.code(err), "could not register this device's identity key: " + reason));
                        return;
                    }
                    sink.emit(new ConsoleEvents.Info("registered this device's identity key with the registry ("
                            + SafetyNumber.shortFingerprint(k.ed25519Public()) + ")"
                            + (stored == null ? "" : "; it replaces another device's, and your contacts will be told")));
                });
            });
        });
    }

    // ---- pins ------------------------------------------------------------------------------------

    /** Loop: the pins read from the account's store when it opened. */
    void loadPins(List<IdentityPin> stored) {
        for (IdentityPin p : stored) {
            pins.putIfAbsent(key(p.user()), p); // one seen meanwhile is newer than the file's
        }
        pinsLoaded = true;
        runWhenReady();
    }

    /** Logged out: the next account's pins are its own. */
    void clear() {
        pins.clear();
        pinsLoaded = false;
        whenReady.clear();
        keys = null;
    }

    /** The bundle pinned for {@code user}, or null. */
    IdentityBundle pinned(String user) {
        IdentityPin p = pins.get(key(user));
        return p == null ? null : IdentityBundle.fromBytes(p.bundle());
    }

    boolean isVerified(String user) {
        IdentityPin p = pins.get(key(user));
        return p != null && p.verified();
    }

    /** Users whose identity the user confirmed, sorted. */
    List<String> verifiedUsers() {
        List<String> out = new ArrayList<>();
        for (IdentityPin p : pins.values()) {
            if (p.verified()) {
                out.add(p.user());
            }
        }
        out.sort(String::compareTo);
        return out;
    }

    /** True when --strict-identity holds sending to {@code user}: its identity changed and is not confirmed. */
    boolean isHeld(String user) {
        IdentityPin p = pins.get(key(user));
        return strict && p != null && p.changed();
    }

    /**
     * A bundle for {@code user} whose signature verified: pinned on first sight; a different one
     * than the pin is reported loudly, re-pinned, and the verified mark dropped.
     */
    void observe(String user, IdentityBundle bundle) {
        IdentityPin old = pins.get(key(user));
        byte[] bytes = bundle.toBytes();
        if (old != null && Arrays.equals(old.bundle(), bytes)) {
            return;
        }
        IdentityPin pin = new IdentityPin(key(user), bytes, false, old != null);
        pins.put(key(user), pin);
        store(pin);
        if (old != null) {
            String was = SafetyNumber.shortFingerprint(IdentityBundle.fromBytes(old.bundle()).signingKey());
            String now = SafetyNumber.shortFingerprint(bundle.signingKey());
            log.warn("identity of {} changed from {} to {}", user, was, now);
            sink.emit(new SessionEvents.IdentityChanged(user, was, now, strict));
        }
    }

    private void store(IdentityPin pin) {
        storage.write(s -> {
            s.pin(pin, System.currentTimeMillis());
            return null;
        });
    }

    // ---- /verify ---------------------------------------------------------------------------------

    /** {@code /verify <user> [confirm]}: the safety number, and with confirm the verified mark. */
    void verify(String user, boolean confirm, String sessionFingerprint) {
        if (!ready()) {
            whenReady.add(() -> verify(user, confirm, sessionFingerprint)); // keys and pins are on their way
            return;
        }
        IdentityKeys mine = keys;
        if (pins.containsKey(key(user))) {
            show(user, confirm, sessionFingerprint, mine);
            return;
        }
        link.request(RegistryOpcodes.IDENTITY_LOOKUP, w -> NameBody.write(w, user), (err, reason, body) -> {
            if (err != 0) {
                sink.emit(new ConsoleEvents.Error(ErrorText.code(err), ErrorText.explain(err, reason, user)));
                return;
            }
            IdentityBundle b;
            try {
                b = IdentityBundle.readOptional(body);
                body.end();
            } catch (RuntimeException e) {
                sink.emit(new ConsoleEvents.Error(ClientErrors.MALFORMED_BODY, "a malformed identity of " + user + " from the registry"));
                return;
            }
            if (b == null) {
                sink.emit(new ConsoleEvents.Error(ClientErrors.NO_IDENTITY, user + " has no identity key yet (an older client)"));
                return;
            }
            worker.execute(() -> {
                boolean ok = b.verify();
                toLoop.execute(() -> {
                    if (!ok) {
                        sink.emit(new ConsoleEvents.Error(ClientErrors.NO_IDENTITY, "the registry gave a forged identity for " + user));
                        return;
                    }
                    observe(user, b);
                    show(user, confirm, sessionFingerprint, mine);
                });
            });
        });
    }

    private void show(String user, boolean confirm, String sessionFingerprint, IdentityKeys mine) {
        IdentityPin pin = pins.get(key(user));
        if (confirm) {
            boolean wasHeld = isHeld(user);
            pin = new IdentityPin(pin.user(), pin.bundle(), true, false);
            pins.put(key(user), pin);
            store(pin);
            if (wasHeld) {
                onReleased.accept(user);
            }
        }
        byte[] theirs = IdentityBundle.fromBytes(pin.bundle()).signingKey();
        sink.emit(new SessionEvents.Verify(user, sessionFingerprint, SafetyNumber.of(mine.ed25519Public(), theirs), pin.verified()));
    }
}
