package dev.tollgate.store.memory;

import java.util.HashMap;
import java.util.Map;

/**
 * One copy of each distinct text the stored events hold (keys, paths, methods, rule names, addresses),
 * counted by reference so that a text goes when its last event goes: clients repeat their key and path
 * on every request, and the store keeps one string for them instead of one per event. Not thread-safe.
 */
final class SharedStrings {

    private static final class Entry {
        final String value;
        long references;

        Entry(String value) {
            this.value = value;
        }
    }

    private final Map<String, Entry> entries = new HashMap<>();

    /** The shared copy of {@code text}, counting one more reference to it. */
    String share(String text) {
        Entry entry = entries.computeIfAbsent(text, Entry::new);
        entry.references++;
        return entry.value;
    }

    /** The shared copy of {@code text}, or null when no stored event holds it. */
    String find(String text) {
        Entry entry = entries.get(text);
        return entry == null ? null : entry.value;
    }

    /** Counts one reference to {@code text} less, forgetting it at none. */
    void release(String text) {
        Entry entry = entries.get(text);
        if (entry != null && --entry.references == 0) {
            entries.remove(text);
        }
    }

    /** How many distinct texts are held. */
    int size() {
        return entries.size();
    }

    void clear() {
        entries.clear();
    }
}
