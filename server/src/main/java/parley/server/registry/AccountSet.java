package parley.server.registry;

import parley.core.util.LongObjectMap;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A set of accounts (by identity) that hot paths can walk without allocating: a
 * {@link LongObjectMap} keyed by account id, walked by slot ({@link #slots}, {@link #slot}). The
 * order of a walk is stable while the set is unchanged. Loop thread only.
 */
final class AccountSet implements Iterable<Account> {
    /** A shared empty set for accounts that never needed one; adding to it is a bug. */
    static final AccountSet EMPTY = new AccountSet();

    // Small to start: most accounts have a handful of contacts.
    private final LongObjectMap<Account> byId = new LongObjectMap<>(4);

    int size() {
        return byId.size();
    }

    boolean isEmpty() {
        return byId.isEmpty();
    }

    /** Number of slots to walk with {@link #slot}; some are empty. */
    int slots() {
        return byId.slots();
    }

    /** The account in slot {@code i}, or null. */
    Account slot(int i) {
        return byId.valueAt(i);
    }

    boolean contains(Account a) {
        return byId.get(a.id) == a;
    }

    /** Adds {@code a}; returns false if it was there already. */
    boolean add(Account a) {
        if (this == EMPTY) {
            throw new UnsupportedOperationException("the shared empty set is read-only");
        }
        if (contains(a)) {
            return false;
        }
        byId.put(a.id, a);
        return true;
    }

    /** Removes {@code a}; returns false if it was not there. */
    boolean remove(Account a) {
        if (!contains(a)) {
            return false;
        }
        byId.remove(a.id);
        return true;
    }

    /** For paths that are not hot; allocates an iterator. */
    @Override
    public Iterator<Account> iterator() {
        return new Iterator<>() {
            private int next = advance(0);

            private int advance(int from) {
                int i = from;
                while (i < byId.slots() && byId.valueAt(i) == null) {
                    i++;
                }
                return i;
            }

            @Override
            public boolean hasNext() {
                return next < byId.slots();
            }

            @Override
            public Account next() {
                if (next >= byId.slots()) {
                    throw new NoSuchElementException();
                }
                Account a = byId.valueAt(next);
                next = advance(next + 1);
                return a;
            }
        };
    }
}
