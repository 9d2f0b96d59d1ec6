package parley.server.store;

import java.util.List;

/**
 * Everything the registry keeps in memory, read at startup. The decoy secret is the persistent
 * key for unknown-user SCRAM decoys (see parley.server.auth.DecoyCredentials).
 */
public record Snapshot(byte[] decoySecret, List<AccountRecord> accounts, List<ContactPair> contacts,
                       List<ContactRequestRecord> requests, List<BlockRecord> blocks) {
}
