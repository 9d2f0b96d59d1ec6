package parley.peer.core;

import parley.peer.identity.IdentityKeys;
import parley.server.protocol.IdentityBundle;

import java.util.function.Consumer;

/**
 * What sealed mail needs of identities (PROTOCOL.md 7.9): this device's keys, to sign and to open;
 * a contact's bundle, to seal to and to check a signature with. An interface so that the mail code
 * does not care whether the bundle was pinned or just looked up, and runs against fakes in tests.
 */
interface MailIdentity {
    /** This device's keys for the logged-in account, or null while they are not loaded. */
    IdentityKeys keys();

    /**
     * Calls back on the loop with {@code user}'s identity bundle, its signature already verified
     * (pinned, else IDENTITY_LOOKUP), or with null if the registry has none for them (a client
     * older than identities, not a contact, or the lookup failed). Callbacks for one user come in
     * the order asked.
     */
    void bundleOf(String user, Consumer<IdentityBundle> onLoop);

    /**
     * As {@link #bundleOf}, but asks the registry at least once per login even when a pin exists,
     * so a contact's new key (a reinstall) is seen, reported ({@code identity_changed}) and used.
     */
    void currentBundleOf(String user, Consumer<IdentityBundle> onLoop);

    /** True when --strict-identity holds sending to {@code user} (its key changed, not confirmed). */
    boolean isHeld(String user);
}
