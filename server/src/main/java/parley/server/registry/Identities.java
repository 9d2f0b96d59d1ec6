package parley.server.registry;

import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.core.wire.ErrorCode;
import parley.core.wire.MessageClass;
import parley.server.protocol.IdentityBundle;
import parley.server.protocol.NameBody;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;
import parley.server.store.RegistryWrites;

import java.util.function.Consumer;

/**
 * Identity bundles (PROTOCOL.md section 7.9): SET_IDENTITY stores the caller's, IDENTITY_LOOKUP
 * hands out a contact's. A bundle's signature is checked on the proof checkers (the hashing
 * pool), never on the loop, and stored durably before the answer. Who may look up whom is asked
 * of {@link Presence#identityFor}, the registry's one privacy decision: an absent user, one who
 * blocked the caller and one who is not a contact all get the same NO_SUCH_USER, except a
 * co-member of a group, whose bundle is answered even if she blocked the caller (7.12: she must
 * read as a member who is offline). Loop thread only.
 */
final class Identities {
    static final String BAD_IDENTITY_REASON = "the identity bundle's signature does not verify";

    private final Presence presence;
    private final Replies replies;
    private final RegistryWrites store;
    private final ProofChecks checks;
    private final RegistryConfig config;

    /** Told of every bundle stored here (ClusterAccounts: the other nodes on a shared store). */
    java.util.function.Consumer<Account> stored = a -> { };

    Identities(Presence presence, Replies replies, RegistryWrites store, ProofChecks checks, RegistryConfig config) {
        this.presence = presence;
        this.replies = replies;
        this.store = store;
        this.checks = checks;
        this.config = config;
    }

    /**
     * Verifies {@code bundle} off the loop, then runs {@code then} on the loop; a bad signature is
     * answered BAD_IDENTITY and a full pool RATE_LIMITED, and {@code then} does not run.
     */
    void verified(Session s, int correlation, IdentityBundle bundle, Consumer<IdentityBundle> then) {
        boolean queued = checks.submit(() -> bundle.verify() ? "" : null, (ok, error) -> {
            if (error != null || ok == null) {
                replies.error(s, correlation, RegistryErrors.BAD_IDENTITY, BAD_IDENTITY_REASON);
                return;
            }
            if (s.link.isOpen()) {
                then.accept(bundle);
            }
        });
        if (!queued) {
            replies.error(s, correlation, ErrorCode.RATE_LIMITED, "the registry is busy verifying; retry shortly");
        }
    }

    /** SET_IDENTITY: replaces the caller's bundle once it verifies and is durable. */
    void set(Session s, int correlation, BodyReader r) {
        IdentityBundle bundle = IdentityBundle.decode(r);
        r.end();
        verified(s, correlation, bundle, b -> {
            Account me = s.account;
            if (me == null) {
                return; // logged out meanwhile: nothing to set
            }
            byte[] bytes = b.toBytes();
            store.setIdentity(me.id, bytes, config.wallClockMillis.getAsLong(), replies.committed(s, correlation, () -> {
                me.identity = bytes;
                stored.accept(me);
                replies.ok(s, RegistryOpcodes.SET_IDENTITY, correlation);
            }));
        });
    }

    /** IDENTITY_LOOKUP: a contact's bundle, as an optional bundle (none when it has none yet). */
    void lookup(Session s, int correlation, BodyReader r) {
        String name = NameBody.decode(r).name();
        Account t = presence.identityFor(s.account, name);
        if (t == null) {
            replies.error(s, correlation, RegistryErrors.NO_SUCH_USER, "no such user: " + name);
            return;
        }
        BodyWriter w = replies.begin(s.link);
        IdentityBundle.writeOptional(w, t.identity);
        replies.respond(s.link, MessageClass.COMMAND, RegistryOpcodes.IDENTITY_LOOKUP, correlation);
    }
}
