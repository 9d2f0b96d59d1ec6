package parley.server.registry;

import parley.server.policy.Visibility;

/**
 * Applies a privacy change another node made and broadcast (PROTOCOL.md 7.13): "KIND a b origin
 * fence", a visibility (VIS) or a contact, block or removal between two accounts, in user keys.
 * Applied here unless it is our own change read back, then acknowledged, so the origin's fence
 * ({@link ClusterFences}) can complete. Loop thread only, as all of the registry.
 */
final class ClusterPrivacyChanges {
    private final Cluster cluster;
    private final Registry registry;
    private final Presence presence;
    private final Contacts contacts;

    ClusterPrivacyChanges(Cluster cluster, Registry registry, Presence presence, Contacts contacts) {
        this.cluster = cluster;
        this.registry = registry;
        this.presence = presence;
        this.contacts = contacts;
    }

    void apply(String[] w) {
        String origin = w[w.length - 2];
        long fence = Long.parseLong(w[w.length - 1]);
        if (origin.equals(cluster.self())) {
            cluster.ownChangeBack(fence);
            return;
        }
        Account a = registry.byKey(w[1]);
        if (a != null) {
            if (w[0].equals("VIS")) {
                Visibility v = Visibility.fromCode(Integer.parseInt(w[2]));
                if (v != null) {
                    presence.applyVisibility(a, v);
                }
            } else {
                Account b = registry.byKey(w[2]);
                if (b != null) {
                    contacts.applyRemote(w[0], a, b);
                }
            }
        }
        cluster.acknowledge(origin, fence);
    }
}
