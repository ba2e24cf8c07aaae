package dev.tollgate.monitor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts byte strings (hosts, sections, methods) without making a {@link String} per line: an
 * open-addressing hash table whose keys live in one byte pool. Strings are made only for the rows a
 * report shows. Cleared and reused for every chunk. Not thread-safe.
 */
final class CountTable {

    private byte[] pool;
    private int poolLength;
    private int[] keyFrom;
    private int[] keyLength;
    private int[] hashes;
    private long[] counts;
    private int size;
    /** Entry index + 1 per slot; 0 is empty. */
    private int[] slots;

    private int mask;

    CountTable(int expectedKeys) {
        int capacity = Integer.highestOneBit(Math.max(4, expectedKeys) * 2 - 1) * 2;
        slots = new int[capacity];
        mask = capacity - 1;
        keyFrom = new int[capacity / 2];
        keyLength = new int[capacity / 2];
        hashes = new int[capacity / 2];
        counts = new long[capacity / 2];
        pool = new byte[capacity * 16];
    }

    /** Adds 1 to the count of {@code b[from, to)}. */
    void increment(byte[] b, int from, int to) {
        add(b, from, to, 1);
    }

    /** Adds every count of {@code other} to this table's. */
    void addAll(CountTable other) {
        for (int e = 0; e < other.size; e++) {
            add(other.pool, other.keyFrom[e], other.keyFrom[e] + other.keyLength[e], other.counts[e]);
        }
    }

    /** Adds {@code n} to the count of {@code b[from, to)}. */
    private void add(byte[] b, int from, int to, long n) {
        int h = hash(b, from, to);
        int slot = h & mask;
        int length = to - from;
        while (true) {
            int entry = slots[slot] - 1;
            if (entry < 0) {
                insert(slot, h, b, from, length, n);
                return;
            }
            if (hashes[entry] == h && keyLength[entry] == length && sameBytes(keyFrom[entry], b, from, length)) {
                counts[entry] += n;
                return;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Compares by hand: the keys are short, and {@link Arrays#equals} costs more to set up than to run. */
    private boolean sameBytes(int poolFrom, byte[] b, int from, int length) {
        byte[] p = pool;
        for (int i = 0; i < length; i++) {
            if (p[poolFrom + i] != b[from + i]) {
                return false;
            }
        }
        return true;
    }

    /** The number of distinct keys. */
    int size() {
        return size;
    }

    /** Forgets every key, keeping the memory. */
    void clear() {
        if (size > 0) {
            Arrays.fill(slots, 0);
            size = 0;
            poolLength = 0;
        }
    }

    /** The {@code limit} keys with the highest counts, ties by key (byte order), with their share of {@code total}. */
    List<TopEntry> top(int limit, long total) {
        int n = Math.min(limit, size);
        int[] best = new int[n];
        int filled = 0;
        for (int e = 0; e < size; e++) {
            if (filled < n) {
                best[filled++] = e;
            } else if (before(e, best[n - 1])) {
                best[n - 1] = e;
            } else {
                continue;
            }
            for (int i = filled - 1; i > 0 && before(best[i], best[i - 1]); i--) {
                int swap = best[i];
                best[i] = best[i - 1];
                best[i - 1] = swap;
            }
        }
        List<TopEntry> top = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            top.add(new TopEntry(key(best[i]), counts[best[i]], total == 0 ? 0.0 : counts[best[i]] / (double) total));
        }
        return top;
    }

    /** Every key and its count, highest count first, ties by key. */
    Map<String, Long> all() {
        Map<String, Long> all = new LinkedHashMap<>();
        top(size, 0).forEach(e -> all.put(e.name(), e.hits()));
        return all;
    }

    private boolean before(int a, int b) {
        if (counts[a] != counts[b]) {
            return counts[a] > counts[b];
        }
        return Arrays.compareUnsigned(
                        pool, keyFrom[a], keyFrom[a] + keyLength[a], pool, keyFrom[b], keyFrom[b] + keyLength[b])
                < 0;
    }

    private String key(int entry) {
        return new String(pool, keyFrom[entry], keyLength[entry], StandardCharsets.UTF_8);
    }

    private void insert(int slot, int h, byte[] b, int from, int length, long n) {
        if (poolLength + length > pool.length) {
            pool = Arrays.copyOf(pool, Math.max(pool.length * 2, poolLength + length));
        }
        System.arraycopy(b, from, pool, poolLength, length);
        int entry = size++;
        keyFrom[entry] = poolLength;
        keyLength[entry] = length;
        hashes[entry] = h;
        counts[entry] = n;
        poolLength += length;
        slots[slot] = entry + 1;
        if (size * 2 >= slots.length) {
            grow();
        }
    }

    private void grow() {
        int capacity = slots.length * 2;
        slots = new int[capacity];
        mask = capacity - 1;
        keyFrom = Arrays.copyOf(keyFrom, capacity / 2);
        keyLength = Arrays.copyOf(keyLength, capacity / 2);
        hashes = Arrays.copyOf(hashes, capacity / 2);
        counts = Arrays.copyOf(counts, capacity / 2);
        for (int e = 0; e < size; e++) {
            int slot = hashes[e] & mask;
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = e + 1;
        }
    }

    private static int hash(byte[] b, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + b[i];
        }
        return h ^ (h >>> 16);
    }
}
