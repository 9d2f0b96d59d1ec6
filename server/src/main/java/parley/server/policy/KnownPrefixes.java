package parley.server.policy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * For each account, the few networks ({@link AddressPrefix}) it has logged in from successfully.
 * A login from one of them is exempt from the per-name lockout that a distributed attack on the
 * name builds up, so strangers guessing at a name cannot lock its owner out of a network they use.
 *
 * <p>Kept in memory only, bounded: at most {@link #PER_ACCOUNT} networks per account (the oldest
 * is replaced) and {@code maxAccounts} accounts (the least recently used is forgotten). Memory is
 * enough because every lockout it exempts from is in memory too: a restart forgets the attack and
 * the owner's networks together, and the owner's next login re-learns its network. Writing it to
 * the database would cost a durable write on every login from a new network for no gain in that
 * case.
 *
 * <p>Loop thread only.
 */
public final class KnownPrefixes {
    public static final int PER_ACCOUNT = 4;
    private final LinkedHashMap<String, String[]> byName;

    public KnownPrefixes(int maxAccounts) {
        this.byName = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String[]> eldest) {
                return size() > maxAccounts;
            }
        };
    }

    public boolean contains(String nameKey, String prefix) {
        String[] known = byName.get(nameKey);
        if (known == null) {
            return false;
        }
        for (String p : known) {
            if (prefix.equals(p)) {
                return true;
            }
        }
        return false;
    }

    /** Remembers a successful login of {@code nameKey} from {@code prefix}. */
    public void add(String nameKey, String prefix) {
        String[] known = byName.computeIfAbsent(nameKey, k -> new String[PER_ACCOUNT]);
        for (String p : known) {
            if (prefix.equals(p)) {
                return;
            }
        }
        // Newest first; the oldest falls off the end.
        System.arraycopy(known, 0, known, 1, PER_ACCOUNT - 1);
        known[0] = prefix;
    }
}
