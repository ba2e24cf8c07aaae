package dev.tollgate.monitor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Requests per status code and per status class, for a chunk or a whole run. Not thread-safe. */
final class StatusCounts {

    private static final String[] CLASSES = {"other", "1xx", "2xx", "3xx", "4xx", "5xx"};
    private static final int CODES = 1000;

    private final long[] classes = new long[CLASSES.length];
    private final long[] codes = new long[CODES];
    /** Codes a plugin's format may report outside 0..999; the shipped ones never do. */
    private final Map<Integer, Long> outside = new TreeMap<>();

    private boolean empty = true;

    void add(int status) {
        empty = false;
        int statusClass = status / 100;
        classes[statusClass >= 1 && statusClass <= 5 ? statusClass : 0]++;
        if (status >= 0 && status < CODES) {
            codes[status]++;
        } else {
            outside.merge(status, 1L, Long::sum);
        }
    }

    /** Adds every count of {@code other} to this one's. */
    void addAll(StatusCounts other) {
        if (other.empty) {
            return;
        }
        empty = false;
        for (int i = 0; i < classes.length; i++) {
            classes[i] += other.classes[i];
        }
        for (int code = 0; code < CODES; code++) {
            codes[code] += other.codes[code];
        }
        other.outside.forEach((code, n) -> outside.merge(code, n, Long::sum));
    }

    void clear() {
        if (!empty) {
            Arrays.fill(classes, 0);
            Arrays.fill(codes, 0);
            outside.clear();
            empty = true;
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
        Map<Integer, Long> counts = new TreeMap<>();
        if (empty) {
            return counts;
        }
        for (int code = 0; code < CODES; code++) {
            if (codes[code] > 0) {
                counts.put(code, codes[code]);
            }
        }
        counts.putAll(outside);
        return counts;
    }
}
