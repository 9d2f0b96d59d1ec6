package parley.server.store;

import java.util.List;

/**
 * Everything the registry keeps in memory, read at startup. The decoy secret is the persistent
 * key for unknown-user SCRAM decoys (see parley.server.auth.DecoyCredentials).
 */
public record Snapshot(byte[] decoySecret, List<AccountRecord> accounts, List<ContactPair> contacts,
                       List<ContactRequestRecord> requests, List<BlockRecord> blocks, List<IdentityRecord> identities) {
    /** A snapshot of a registry in which no account has an identity bundle yet. */
    public Snapshot(byte[] decoySecret, List<AccountRecord> accounts, List<ContactPair> contacts,
                    List<ContactRequestRecord> requests, List<BlockRecord> blocks) {
        this(decoySecret, accounts, contacts, requests, blocks, List.of());
    }
}
