package dev.tollgate.monitor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Requests per status code and per status class, for a chunk or a whole run. The codes are kept in a small hash table
 * (a log has a handful of them), so that one is cheap to make, clear and add to another: the workers of a parallel
 * read make one per chunk. Not thread-safe.
 */
final class StatusCounts {

    private static final String[] CLASSES = {"other", "1xx", "2xx", "3xx", "4xx", "5xx"};

    private final long[] classes = new long[CLASSES.length];
    /** The codes seen and their counts; a slot whose count is 0 is free. */
    private int[] keys = new int[16];

    private long[] counts = new long[16];
    private int size;

    void add(int status) {
        int statusClass = status / 100;
        classes[statusClass >= 1 && statusClass <= 5 ? statusClass : 0]++;
        count(status, 1);
    }

    /** Adds every count of {@code other} to this one's. */
    void addAll(StatusCounts other) {
        if (other.size == 0) {
            return;
        }
        for (int i = 0; i < classes.length; i++) {
            classes[i] += other.classes[i];
        }
        for (int slot = 0; slot < other.keys.length; slot++) {
            if (other.counts[slot] != 0) {
                count(other.keys[slot], other.counts[slot]);
            }
        }
    }

    void clear() {
        if (size > 0) {
            Arrays.fill(classes, 0);
            Arrays.fill(counts, 0);
            size = 0;
        }
    }

    /** Requests per class, {@code 1xx} … {@code 5xx} then {@code other}, classes without requests left out. */
    Map<String, Long> classes() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int i = 1; i <= CLASSES.length; i++) {
            int c = i % CLASSES.length;
            if (classes[c] > 0) {
                counts.put(CLASSES[c], classes[c]);
            }
        }
        return counts;
    }

    /** Requests per exact code, in code order, codes without requests left out. */
    Map<Integer, Long> codes() {
        Map<Integer, Long> codes = new TreeMap<>();
        for (int slot = 0; slot < keys.length; slot++) {
            if (counts[slot] != 0) {
                codes.put(keys[slot], counts[slot]);
            }
        }
        return codes;
    }

    /** Adds {@code n} to the count of code {@code status}. */
    private void count(int status, long n) {
        int mask = keys.length - 1;
        int slot = ((status * 0x9E3779B9) >>> 16) & mask;
        while (true) {
            if (counts[slot] == 0) {
                keys[slot] = status;
                counts[slot] = n;
                if (++size * 2 > keys.length) {
                    grow();
                }
                return;
            }
            if (keys[slot] == status) {
                counts[slot] += n;
                return;
            }
            slot = (slot + 1) & mask;
        }
    }

    private void grow() {
        int[] oldKeys = keys;
        long[] oldCounts = counts;
        keys = new int[oldKeys.length * 2];
        counts = new long[oldKeys.length * 2];
        size = 0;
        for (int slot = 0; slot < oldKeys.length; slot++) {
            if (oldCounts[slot] != 0) {
                count(oldKeys[slot], oldCounts[slot]);
            }
        }
    }
}
