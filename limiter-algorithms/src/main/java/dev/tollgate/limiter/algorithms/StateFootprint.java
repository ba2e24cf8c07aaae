package dev.tollgate.limiter.algorithms;

/**
 * Estimated heap bytes of what a {@link KeyTable} holds per key, charged to its
 * {@link dev.tollgate.limiter.MemoryBudget}: the map's node and its share of the map's table, the key
 * {@link String} and its byte array, and the algorithm's state object with any array it holds.
 *
 * <p>The sizes are those of a 64-bit HotSpot JVM with compressed references and class pointers, the
 * default for heaps below 32 GB: a 12-byte object header, 4-byte references, objects aligned to 8 bytes.
 * They were read with JOL 0.17 ({@code ClassLayout.parseClass}) on OpenJDK 17.0.15:
 * {@code ConcurrentHashMap.Node} 32 bytes (header, hash, key, value, next), {@code String} 24 (header,
 * hash, coder, hashIsZero, value), a {@code byte[]} 16 plus its length, every state class below 32 or 40.
 * The table's share was measured with {@code dev.tollgate.bench.LimiterFootprint}: the map's table is
 * an array of 4-byte references, 5.3 to 10.7 bytes per key as the map fills between two doublings
 * (8.4 at one million keys), and after a doubling the table's sweeping cursor may still hold the array
 * of half the size (4.2 at one million keys); 12 is taken. At one million keys shaped like
 * {@code ip:10.15.66.63} the estimate is within 1 byte per key of the heap measured by that benchmark
 * (docs/BENCHMARKS.md). With references of 8 bytes (heaps of 32 GB or more) the real figure is about a
 * quarter higher.
 */
final class StateFootprint {

    /** A {@code ConcurrentHashMap.Node}. */
    static final long MAP_NODE = 32;
    /** The node's share of the map's table, and of the smaller table a sweeping cursor may still hold. */
    static final long TABLE_SHARE = 12;
    /** A {@code String}, without its array. */
    static final long STRING = 24;
    /** The header and length of an array. */
    static final long ARRAY_HEADER = 16;
    /** A state of the token bucket, the leaky bucket, GCRA, the fixed window or the sliding-window counter. */
    static final long SMALL_STATE = 32;
    /** A state of the sliding-window log, without its array. */
    static final long LOG_STATE = 40;

    private StateFootprint() {}

    /** What holding {@code key} costs beside its state: the map's node and table share, the key and its array. */
    static long entry(String key) {
        long array = ARRAY_HEADER + (latin1(key) ? key.length() : 2L * key.length());
        return MAP_NODE + TABLE_SHARE + STRING + aligned(array);
    }

    /** A {@code long[]} of {@code length} elements. */
    static long longArray(int length) {
        return aligned(ARRAY_HEADER + 8L * length);
    }

    /** Whether a string holds its chars in one byte each, as compact strings do when none passes U+00FF. */
    private static boolean latin1(String key) {
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) > 0xFF) {
                return false;
            }
        }
        return true;
    }

    private static long aligned(long bytes) {
        return (bytes + 7) & ~7L;
    }
}
