package parley.server.registry;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A set of accounts (by identity) that hot paths can walk without allocating: open addressing with
 * linear probing, keyed by the account id, and walked by slot ({@link #slots}, {@link #slot}).
 * Removal shifts the following entries back instead of leaving tombstones, so a lookup never
 * scans past the first empty slot. The order of a walk is stable while the set is unchanged.
 * Loop thread only.
 */
final class AccountSet implements Iterable<Account> {
    /** A shared empty set for accounts that never needed one; adding to it is a bug. */
    static final AccountSet EMPTY = new AccountSet(1);

    private Account[] table;
    private int size;

    AccountSet() {
        this(8);
    }

    private AccountSet(int capacity) {
        table = new Account[capacity];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Number of slots to walk with {@link #slot}; some are empty. */
    int slots() {
        return table.length;
    }

    /** The account in slot {@code i}, or null. */
    Account slot(int i) {
        return table[i];
    }

    boolean contains(Account a) {
        Account[] t = table;
        int mask = t.length - 1;
        for (int i = home(a, mask); ; i = (i + 1) & mask) {
            Account e = t[i];
            if (e == null) {
                return false;
            }
            if (e == a) {
                return true;
            }
        }
    }

    /** Adds {@code a}; returns false if it was there already. */
    boolean add(Account a) {
        if (this == EMPTY) {
            throw new UnsupportedOperationException("the shared empty set is read-only");
        }
        if (contains(a)) {
            return false;
        }
        if ((size + 1) * 2 > table.length) {
            grow();
        }
        insert(table, a);
        size++;
        return true;
    }

    /** Removes {@code a}; returns false if it was not there. */
    boolean remove(Account a) {
        Account[] t = table;
        int mask = t.length - 1;
        int i = home(a, mask);
        while (t[i] != a) {
            if (t[i] == null) {
                return false;
            }
            i = (i + 1) & mask;
        }
        // Shift back every later entry of the run whose probe path crosses the hole.
        int hole = i;
        for (int j = (i + 1) & mask; t[j] != null; j = (j + 1) & mask) {
            int h = home(t[j], mask);
            if (((j - h) & mask) >= ((j - hole) & mask)) {
                t[hole] = t[j];
                hole = j;
            }
        }
        t[hole] = null;
        size--;
        return true;
    }

    private void grow() {
        Account[] bigger = new Account[table.length * 2];
        for (Account a : table) {
            if (a != null) {
                insert(bigger, a);
            }
        }
        table = bigger;
    }

    private static void insert(Account[] t, Account a) {
        int mask = t.length - 1;
        int i = home(a, mask);
        while (t[i] != null) {
            i = (i + 1) & mask;
        }
        t[i] = a;
    }

    private static int home(Account a, int mask) {
        long h = a.id * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /** For paths that are not hot; allocates an iterator. */
    @Override
    public Iterator<Account> iterator() {
        return new Iterator<>() {
            private int next = advance(0);

            private int advance(int from) {
                int i = from;
                while (i < table.length && table[i] == null) {
                    i++;
                }
                return i;
            }

            @Override
            public boolean hasNext() {
                return next < table.length;
            }

            @Override
            public Account next() {
                if (next >= table.length) {
                    throw new NoSuchElementException();
                }
                Account a = table[next];
                next = advance(next + 1);
                return a;
            }
        };
    }
}
