package dev.tollgate.store.memory;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One copy of each distinct text the stored events hold (keys, paths, methods, rule names, addresses),
 * counted by reference so that a text goes when its last event goes: clients repeat their key and path
 * on every request, and the store keeps one string for them instead of one per event.
 *
 * <p>Each text held has a number, its id, by which {@link Minute}'s columns hold it: columns of numbers, which the
 * garbage collector never looks into, where columns of references would have it visit every event's every text on
 * each of its marking cycles — millions of references in a busy store, again and again while the store grows. An id
 * is reused once its text has gone. {@link #NONE} stands for an absent text. Not thread-safe.
 */
final class SharedStrings {

    /** The id of an absent text (null). */
    static final int NONE = -1;

    /** What a text costs beside its string: its map node and its entry (a reference, a count and its id). */
    private static final long PER_TEXT = Footprint.HASH_NODE + Footprint.object(Footprint.REFERENCE + 8 + 4);

    private static final int INITIAL_IDS = 64;

    private static final class Entry {
        final String value;
        final int id;
        long references;

        Entry(String value, int id) {
            this.value = value;
            this.id = id;
        }
    }

    private final Map<String, Entry> entries = new HashMap<>();
    /** The entry of each id in use; null at a free one. */
    private Entry[] byId = new Entry[INITIAL_IDS];
    /** How many ids have ever been given out: every id below is in use or free. */
    private int ids;
    /** The free ids below {@link #ids}, the latest freed last. */
    private int[] free = new int[INITIAL_IDS];

    private int freeCount;
    private long peak;
    private long bytes;

    /** The id of {@code text}, counting one more reference to it; {@link #NONE} for null. */
    int share(String text) {
        if (text == null) {
            return NONE;
        }
        Entry entry = entries.get(text);
        if (entry == null) {
            entry = new Entry(text, nextId());
            byId[entry.id] = entry;
            entries.put(text, entry);
            peak = Math.max(peak, entries.size());
            bytes += PER_TEXT + Footprint.string(text);
        }
        entry.references++;
        return entry.id;
    }

    /** The shared copy of the text of {@code id}, held now; null for {@link #NONE}. */
    String text(int id) {
        return id == NONE ? null : byId[id].value;
    }

    /** The id of {@code text}, or {@link #NONE} when no stored event holds it. */
    int find(String text) {
        Entry entry = text == null ? null : entries.get(text);
        return entry == null ? NONE : entry.id;
    }

    /** Counts one reference to the text of {@code id} less, forgetting it at none; nothing for {@link #NONE}. */
    void release(int id) {
        if (id == NONE) {
            return;
        }
        Entry entry = byId[id];
        if (--entry.references == 0) {
            entries.remove(entry.value);
            byId[id] = null;
            if (freeCount == free.length) {
                free = Arrays.copyOf(free, free.length * 2);
            }
            free[freeCount++] = id;
            bytes -= PER_TEXT + Footprint.string(entry.value);
        }
    }

    private int nextId() {
        if (freeCount > 0) {
            return free[--freeCount];
        }
        if (ids == byId.length) {
            byId = Arrays.copyOf(byId, byId.length * 2);
        }
        return ids++;
    }

    /** How many distinct texts are held. */
    int size() {
        return entries.size();
    }

    /**
     * The estimated heap the texts take: the strings, their entries, the map's table at its largest, and the table of
     * ids and the list of free ones at their lengths (they grow with the most texts held at once, and stay).
     */
    long bytes() {
        return bytes
                + Footprint.hashTable(peak)
                + Footprint.array(byId.length, Footprint.REFERENCE)
                + Footprint.array(free.length, 4);
    }

    void clear() {
        entries.clear();
        byId = new Entry[INITIAL_IDS];
        free = new int[INITIAL_IDS];
        ids = 0;
        freeCount = 0;
        peak = 0;
        bytes = 0;
    }
}
