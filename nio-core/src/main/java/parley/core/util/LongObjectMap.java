package parley.core.util;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Open-addressing map from a primitive long to an object, in the manner of Agrona's
 * Long2ObjectHashMap: no boxing and no entry objects, so a lookup on a hot path allocates nothing.
 * Keys are mixed before probing, so random ids and sequential ids spread equally well.
 * Not thread-safe.
 */
public final class LongObjectMap<V> {
    private static final float LOAD_FACTOR = 0.6f;
    private long[] keys;
    private Object[] values;
    private int size;
    private int resizeAt;

    public LongObjectMap() {
        this(16);
    }

    public LongObjectMap(int initialCapacity) {
        int cap = Integer.highestOneBit(Math.max(4, (int) (initialCapacity / LOAD_FACTOR)) - 1) << 1;
        keys = new long[cap];
        values = new Object[cap];
        resizeAt = (int) (cap * LOAD_FACTOR);
    }

    private static int hash(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    @SuppressWarnings("unchecked")
    public V get(long key) {
        int mask = keys.length - 1;
        for (int i = hash(key, mask); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return (V) values[i];
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    public V put(long key, V value) {
        if (value == null) {
            throw new IllegalArgumentException("null values are not stored; use remove");
        }
        int mask = keys.length - 1;
        int i = hash(key, mask);
        for (; values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                V old = (V) values[i];
                values[i] = value;
                return old;
            }
        }
        keys[i] = key;
        values[i] = value;
        if (++size > resizeAt) {
            rehash(keys.length * 2);
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    public V remove(long key) {
        int mask = keys.length - 1;
        for (int i = hash(key, mask); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                V old = (V) values[i];
                values[i] = null;
                size--;
                compactChain(i);
                return old;
            }
        }
        return null;
    }

    // Backward-shift deletion: re-seat the entries after the hole so probes never stop early.
    private void compactChain(int hole) {
        int mask = keys.length - 1;
        for (int i = (hole + 1) & mask; values[i] != null; i = (i + 1) & mask) {
            int home = hash(keys[i], mask);
            boolean movable = hole <= i ? (home <= hole || home > i) : (home <= hole && home > i);
            if (movable) {
                keys[hole] = keys[i];
                values[hole] = values[i];
                values[i] = null;
                hole = i;
            }
        }
    }

    private void rehash(int capacity) {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[capacity];
        values = new Object[capacity];
        resizeAt = (int) (capacity * LOAD_FACTOR);
        int mask = capacity - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldValues[j] != null) {
                int i = hash(oldKeys[j], mask);
                while (values[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Number of slots, for a walk with {@link #valueAt} that allocates nothing; most hold no value. */
    public int slots() {
        return values.length;
    }

    /**
     * The value in slot {@code slot}, or null. A walk over every slot sees each value once, in an
     * order that holds while the map is unchanged; the map must not change during the walk.
     */
    @SuppressWarnings("unchecked")
    public V valueAt(int slot) {
        return (V) values[slot];
    }

    @SuppressWarnings("unchecked")
    public void forEachValue(Consumer<V> action) {
        Object[] snapshot = Arrays.copyOf(values, values.length);
        for (Object v : snapshot) {
            if (v != null) {
                action.accept((V) v);
            }
        }
    }

    public void clear() {
        Arrays.fill(values, null);
        size = 0;
    }
}
