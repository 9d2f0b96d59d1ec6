package parley.peer.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.loop.EventLoop;
import parley.core.loop.WorkQueue;
import parley.peer.identity.IdentityKeys;
import parley.server.protocol.IdentityBundle;
import parley.server.protocol.NameBody;
import parley.server.protocol.RegistryOpcodes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Sealed mail's view of the identity book ({@link Identities}): this device's keys, and a
 * contact's bundle from its pin, or else from IDENTITY_LOOKUP, whose signature is checked off the
 * loop and which is then pinned like any bundle seen (so a changed key is reported as
 * {@code identity_changed} here too). Lookups for one user are shared and answered in order.
 */
final class MailIdentities implements MailIdentity {
    private static final Logger log = LoggerFactory.getLogger(MailIdentities.class);

    private final EventLoop loop;
    private final WorkQueue<Runnable> worker;
    private final RegistryRequests link;
    private final Identities identities;
    private final Map<String, List<Consumer<IdentityBundle>>> asked = new HashMap<>();
    /** Users whose bundle the registry confirmed in this process: their pin is current. */
    private final java.util.Set<String> checked = new java.util.HashSet<>();

    MailIdentities(EventLoop loop, WorkQueue<Runnable> worker, RegistryRequests link, Identities identities) {
        this.loop = loop;
        this.worker = worker;
        this.link = link;
        this.identities = identities;
    }

    @Override
    public IdentityKeys keys() {
        return identities.keys();
    }

    @Override
    public boolean isHeld(String user) {
        return identities.isHeld(user);
    }

    @Override
    public void bundleOf(String user, Consumer<IdentityBundle> onLoop) {
        IdentityBundle pinned = identities.pinned(user);
        if (pinned != null) {
            onLoop.accept(pinned);
            return;
        }
        lookUp(user, onLoop);
    }

    @Override
    public void currentBundleOf(String user, Consumer<IdentityBundle> onLoop) {
        if (checked.contains(user.toLowerCase(Locale.ROOT))) {
            bundleOf(user, onLoop);
        } else {
            lookUp(user, onLoop);
        }
    }

    private void lookUp(String user, Consumer<IdentityBundle> onLoop) {
        String k = user.toLowerCase(Locale.ROOT);
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
                    if (ok) {
                        checked.add(k);
                        identities.observe(user, candidate);
                    } else {
                        log.warn("the registry gave a forged identity bundle for {}", user);
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
