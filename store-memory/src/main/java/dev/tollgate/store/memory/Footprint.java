package dev.tollgate.store.memory;

/**
 * The heap taken by the objects the memory store keeps, as 64-bit HotSpot lays them out: a 12-byte object header
 * (compressed class pointers), 16 bytes before an array's elements, 4-byte references below a 32 GB heap (8 above),
 * every object a multiple of 8 bytes. The store adds these up as it goes instead of measuring, so its
 * {@code heapBytes()} is an estimate: exact for its own arrays, close for the JDK's maps and strings.
 */
final class Footprint {

    /** The size of a reference: HotSpot compresses them when the heap is smaller than 32 GB. */
    static final int REFERENCE = Runtime.getRuntime().maxMemory() < 32L * 1024 * 1024 * 1024 ? 4 : 8;

    private static final int HEADER = 12;
    private static final int ARRAY_HEADER = 16;

    /** A {@link java.util.HashMap} node: hash, key, value, next. */
    static final long HASH_NODE = object(4 + 3 * REFERENCE);
    /** A {@link java.util.LinkedHashMap} node: a hash map node with two more links. */
    static final long LINKED_NODE = object(4 + 5 * REFERENCE);
    /** A {@link java.util.TreeMap} entry, the node of a {@link java.util.TreeSet} too: five links and a colour. */
    static final long TREE_ENTRY = object(5 * REFERENCE + 1);
    /** An empty {@link java.util.HashMap}: four references and four numbers. */
    static final long HASH_MAP = object(4 * REFERENCE + 16);
    /** A boxed {@code long}, as the maps keyed by time hold their keys. */
    static final long LONG_BOX = object(8);
    /** A {@code long[]} of one element. */
    static final long LONG_ARRAY_1 = array(1, 8);
    /** A {@code long[]} of two elements. */
    static final long LONG_ARRAY_2 = array(2, 8);
    /** A {@code long[]} of three elements. */
    static final long LONG_ARRAY_3 = array(3, 8);

    private Footprint() {}

    /** An object with {@code fields} bytes of fields; a {@code long} never straddles the header's end. */
    static long object(long fields) {
        return align(HEADER + fields);
    }

    /** An array of {@code length} elements of {@code elementBytes} each. */
    static long array(long length, int elementBytes) {
        return align(ARRAY_HEADER + length * elementBytes);
    }

    /**
     * A {@link String} and its bytes: one byte a character when every character fits in Latin-1 (compact strings),
     * two otherwise.
     */
    static long string(String text) {
        boolean latin1 = true;
        for (int i = 0; i < text.length() && latin1; i++) {
            latin1 = text.charAt(i) <= 0xFF;
        }
        return object(REFERENCE + 4 + 2) + array(text.length(), latin1 ? 1 : 2);
    }

    /**
     * The table of a {@link java.util.HashMap} that has held at most {@code peakEntries} at once: it doubles from 16
     * slots whenever it gets three quarters full, and never shrinks; none before the first entry.
     */
    static long hashTable(long peakEntries) {
        if (peakEntries == 0) {
            return 0;
        }
        long slots = 16;
        while (slots * 3 / 4 < peakEntries) {
            slots *= 2;
        }
        return array(slots, REFERENCE);
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }
}
