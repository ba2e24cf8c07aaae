package dev.tollgate.store.memory;

import java.util.HashMap;
import java.util.Map;

/**
 * One copy of each distinct text the stored events hold (keys, paths, methods, rule names, addresses),
 * counted by reference so that a text goes when its last event goes: clients repeat their key and path
 * on every request, and the store keeps one string for them instead of one per event. Not thread-safe.
 */
final class SharedStrings {

    /** What a text costs beside its string: its map node and its entry (a reference and a count). */
    private static final long PER_TEXT = Footprint.HASH_NODE + Footprint.object(Footprint.REFERENCE + 8);

    private static final class Entry {
        final String value;
        long references;

        Entry(String value) {
            this.value = value;
        }
    }

    private final Map<String, Entry> entries = new HashMap<>();
    private long peak;
    private long bytes;

    /** The shared copy of {@code text}, counting one more reference to it. */
    String share(String text) {
        Entry entry = entries.get(text);
        if (entry == null) {
            entry = new Entry(text);
            entries.put(text, entry);
            peak = Math.max(peak, entries.size());
            bytes += PER_TEXT + Footprint.string(text);
        }
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
            bytes -= PER_TEXT + Footprint.string(text);
        }
    }

    /** How many distinct texts are held. */
    int size() {
        return entries.size();
    }

    /** The estimated heap the texts take: the strings, their entries, and the map's table at its largest. */
    long bytes() {
        return bytes + Footprint.hashTable(peak);
    }

    void clear() {
        entries.clear();
        peak = 0;
        bytes = 0;
    }
}
