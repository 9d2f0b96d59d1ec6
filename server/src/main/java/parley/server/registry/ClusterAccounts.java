package parley.server.registry;

import parley.server.auth.ScramCredentials;
import parley.server.policy.Visibility;

import java.util.Base64;

/**
 * What the nodes of a cluster on ONE shared store (PostgreSQL) tell each other beyond presence
 * and privacy ({@link Cluster}): each node keeps every account in memory, loaded at its start, so
 * a node must hear of what another node wrote to the store since:
 * <ul>
 * <li>{@code ACC node id name key salt iterations storedKey serverKey createdAt identity|-}: an
 *     account whose registration was acknowledged (its row is durable); the row itself travels,
 *     not only its name, so a change about the new account that follows it in the bus order
 *     (a contact request, a block) finds it on every node, as it would if read from the store;</li>
 * <li>{@code IDN node key bundle}: an identity bundle set (SET_IDENTITY);</li>
 * <li>{@code MQ node id count bytes}: a change to a mailbox's quota counters (a place reserved or
 *     given back, an ack, an expiry), so every node's counters follow the stored mailbox;</li>
 * <li>{@code MW node key}: mail was stored for that user: the node holding its session pushes
 *     MAIL_WAITING.</li>
 * </ul>
 * The SCRAM keys (not the password) cross the bus as they sit in the store: the bus is as trusted
 * as the store (docs/SCALING.md). Nothing is sent or applied with per-node stores (SQLite), where
 * each node's accounts are its own. Binary fields are base64. Loop thread only.
 */
final class ClusterAccounts implements MailQuotas.Changes {
    private static final String NONE = "-";

    private final Cluster cluster;
    private final Registry registry;
    private final MailQuotas quotas;
    private final Mailbox mailbox;
    private final boolean on;

    ClusterAccounts(Cluster cluster, RegistryConfig config, Registry registry, MailQuotas quotas, Mailbox mailbox) {
        this.cluster = cluster;
        this.registry = registry;
        this.quotas = quotas;
        this.mailbox = mailbox;
        this.on = config.sharedStore && cluster.clustered();
    }

    /** A registration acknowledged here. */
    void created(Account a) {
        if (!on) {
            return;
        }
        ScramCredentials c = a.credentials;
        cluster.broadcast("ACC " + cluster.self() + " " + a.id + " " + a.name + " " + a.key + " " + b64(c.salt())
                + " " + c.iterations() + " " + b64(c.storedKey()) + " " + b64(c.serverKey()) + " " + a.createdAtMillis
                + " " + (a.identity == null ? NONE : b64(a.identity)));
    }

    /** An identity bundle stored here. */
    void identitySet(Account a) {
        if (on && a.identity != null) {
            cluster.broadcast("IDN " + cluster.self() + " " + a.key + " " + b64(a.identity));
        }
    }

    @Override
    public void changed(long account, int count, long bytes) {
        if (on && (count != 0 || bytes != 0)) {
            cluster.broadcast("MQ " + cluster.self() + " " + account + " " + count + " " + bytes);
        }
    }

    /** Mail stored here for {@code a}, who is not logged in here (maybe on another node). */
    void mailWaiting(Account a) {
        if (on) {
            cluster.broadcast("MW " + cluster.self() + " " + a.key);
        }
    }

    /** Applies one of the messages above; false when {@code w} is none of them. */
    boolean receive(String[] w) {
        switch (w[0]) {
            case "ACC": case "IDN": case "MQ": case "MW": break;
            default: return false;
        }
        if (!on || w[1].equals(cluster.self())) {
            return true; // ours, already applied here
        }
        Base64.Decoder d = Base64.getDecoder();
        switch (w[0]) {
            case "ACC": account(w, d); break;
            case "IDN": {
                Account a = registry.byKey(w[2]);
                if (a != null) {
                    a.identity = d.decode(w[3]);
                }
                break;
            }
            case "MQ": quotas.apply(Long.parseLong(w[2]), Integer.parseInt(w[3]), Long.parseLong(w[4])); break;
            default: {
                Account a = registry.byKey(w[2]);
                if (a != null) {
                    mailbox.waiting(a);
                }
                break;
            }
        }
        return true;
    }

    private void account(String[] w, Base64.Decoder d) {
        long id = Long.parseLong(w[2]);
        if (registry.byKey(w[4]) != null || registry.byId(id) != null) {
            return;
        }
        ScramCredentials c = new ScramCredentials(d.decode(w[5]), Integer.parseInt(w[6]), d.decode(w[7]), d.decode(w[8]));
        // A new account has the default visibility and no contacts, requests or blocks yet.
        Account a = new Account(id, w[3], w[4], c, Visibility.DEFAULT);
        a.createdAtMillis = Long.parseLong(w[9]);
        a.identity = w[10].equals(NONE) ? null : d.decode(w[10]);
        registry.addAccount(a);
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
