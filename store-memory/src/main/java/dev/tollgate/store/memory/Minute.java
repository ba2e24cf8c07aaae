package dev.tollgate.store.memory;

import dev.tollgate.events.LatencyHistogram;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The events of one minute, sorted by time and then sequence, with their allowed, blocked and shadow-blocked counts.
 * Events arrive nearly in order, so an append is nearly always a write at the end; the oldest event
 * leaves from the front. The fields are kept in columns — arrays of numbers, the texts among them as the ids of their
 * {@link SharedStrings shared copies} — so a busy minute is a handful of large arrays of numbers rather than an object
 * per event: the garbage collector then neither copies the events while they are young nor traces them, or a
 * reference of theirs, once they are old. The columns double when
 * full and halve when three quarters empty, so they take between one and four times what the events need
 * (one and two while events only arrive).
 *
 * <p>Beside the columns, a small Bloom filter of the keys held (eight bits per place in the columns; four bits set per
 * key, all in one of its 64-bit words, so that a look-up reads one word) lets a look-up by key ({@link #mightHold})
 * skip the minutes that do not hold it without reading their keys.
 * It can only answer "perhaps" for a key that is not here — a key hashed like another one, a key whose events left
 * since the filter was last built — never "no" for one that is, so it decides how much is read, never what is found.
 * It is built anew from the keys held whenever the columns are resized or compacted, so it holds the bits of at most
 * as many events as the columns have places: with eight bits per place, at most about 3 % of the minutes without a key
 * are read for it in vain (0.5 % when the columns are half full). Not thread-safe.
 */
final class Minute {

    /**
     * A minute without columns, with its place in the map of minutes: the minute itself (five numbers, fourteen
     * columns, two indexes), the map entry and its boxed key.
     */
    static final long EMPTY_BYTES =
            Footprint.object(5 * 8 + 15 * Footprint.REFERENCE + 2 * 4) + Footprint.TREE_ENTRY + Footprint.LONG_BOX;

    private static final byte ALLOWED = 1;
    private static final byte SHADOW = 2;
    private static final int INITIAL_CAPACITY = 8;
    /** Columns shorter than this are not halved. */
    private static final int SHRINKABLE = 64;

    final long start;
    /** Where the texts of the columns' ids are. */
    private final SharedStrings strings;

    long allowed;
    long blocked;
    long shadowBlocked;

    private long[] millis = new long[INITIAL_CAPACITY];
    private long[] sequences = new long[INITIAL_CAPACITY];
    private int[] keys = new int[INITIAL_CAPACITY];
    private int[] ruleNames = new int[INITIAL_CAPACITY];
    private int[] paths = new int[INITIAL_CAPACITY];
    private int[] methods = new int[INITIAL_CAPACITY];
    private int[] ipAddresses = new int[INITIAL_CAPACITY];
    private int[] userIds = new int[INITIAL_CAPACITY];
    private long[] counts = new long[INITIAL_CAPACITY];
    private long[] limits = new long[INITIAL_CAPACITY];
    private byte[] flags = new byte[INITIAL_CAPACITY];
    private int[] userAgents = new int[INITIAL_CAPACITY];
    private short[] upstreamStatuses = new short[INITIAL_CAPACITY];
    private int[] upstreamLatencies = new int[INITIAL_CAPACITY];
    /** The Bloom filter of the keys held: eight bits per place in the columns. */
    private long[] keyFilter = new long[filterLength(INITIAL_CAPACITY)];

    private int head;
    private int tail;
    private long columnBytes = columnBytes(INITIAL_CAPACITY);

    Minute(long start, SharedStrings strings) {
        this.start = start;
        this.strings = strings;
    }

    void add(StoredEvent event) {
        if (tail == millis.length) {
            makeRoom();
        }
        if (tail == head || !isBefore(event, tail - 1)) {
            set(tail++, event);
        } else {
            // sequences only grow, so a late event goes after every event of its millisecond
            int at = firstAfter(event.millis);
            move(at, at + 1, tail - at);
            set(at, event);
            tail++;
        }
        count(event.outcome(), 1);
        addToFilter(event.key);
    }

    StoredEvent first() {
        return get(head);
    }

    StoredEvent removeFirst() {
        StoredEvent event = get(head);
        head++;
        count(event.outcome(), -1);
        if (head == tail) {
            head = 0;
            tail = 0;
        } else if (millis.length >= SHRINKABLE && tail - head <= millis.length / 4) {
            resize(millis.length / 2);
        }
        return event;
    }

    /** The estimated heap of this minute: {@link #EMPTY_BYTES} and its columns, at their capacity. */
    long bytes() {
        return EMPTY_BYTES + columnBytes;
    }

    /**
     * The columns of {@code capacity} events: four of numbers, seven of text ids (4 bytes), one of flags, one of upstream
     * statuses (2 bytes), one of upstream latencies (4 bytes), and the key filter of one byte per place.
     */
    static long columnBytes(int capacity) {
        return 4 * Footprint.array(capacity, 8)
                + 7 * Footprint.array(capacity, 4)
                + Footprint.array(capacity, 1)
                + Footprint.array(capacity, 2)
                + Footprint.array(capacity, 4)
                + Footprint.array(filterLength(capacity), 8);
    }

    boolean isEmpty() {
        return head == tail;
    }

    int size() {
        return tail - head;
    }

    /** The events with {@code from <= millis < to}, added to {@code counts} by {@link StoredEvent#outcome()}. */
    void countBetween(long from, long to, long[] counts) {
        for (int i = firstAtOrAfter(from); i < tail && millis[i] < to; i++) {
            counts[StoredEvent.outcome((flags[i] & ALLOWED) != 0, (flags[i] & SHADOW) != 0)]++;
        }
    }

    /**
     * Hands the rule name and {@link StoredEvent#outcome() outcome} of every event with {@code millis >= from} to
     * {@code visitor}, oldest first, read from the columns without making an event of each.
     */
    void forEachRuleFrom(long from, RuleVisitor visitor) {
        for (int i = firstAtOrAfter(from); i < tail; i++) {
            visitor.visit(
                    strings.text(ruleNames[i]),
                    StoredEvent.outcome((flags[i] & ALLOWED) != 0, (flags[i] & SHADOW) != 0));
        }
    }

    /** Takes the rule name and outcome of an event. */
    @FunctionalInterface
    interface RuleVisitor {
        void visit(String ruleName, int outcome);
    }

    /** Hands the events with {@code from <= millis < to} to {@code visitor}, newest first, until it says stop. */
    boolean forEachNewestFirst(long from, long to, EventVisitor visitor) {
        for (int i = firstAtOrAfter(to) - 1; i >= head && millis[i] >= from; i--) {
            if (!visitor.visit(get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Adds {@code sign} (1 or -1) per blocked event with {@code from <= millis < to} to the count of its path
     * ({@code byUserAgent} false) or its user agent (true; events without one are skipped) in {@code counts}: straight
     * from the columns, no event objects.
     */
    void countBlocked(long from, long to, boolean byUserAgent, int sign, Map<String, long[]> counts) {
        int[] column = byUserAgent ? userAgents : paths;
        for (int i = firstAtOrAfter(from); i < tail && millis[i] < to; i++) {
            if ((flags[i] & ALLOWED) == 0 && column[i] != SharedStrings.NONE) {
                counts.computeIfAbsent(strings.text(column[i]), text -> new long[1])[0] += sign;
            }
        }
    }

    /**
     * Adds {@code sign} per served event with {@code from <= millis < to} and an upstream status to its class and, when
     * it has a latency, to its latency bucket.
     */
    void countUpstream(long from, long to, int sign, long[] classes, long[] histogram) {
        for (int i = firstAtOrAfter(from); i < tail && millis[i] < to; i++) {
            if ((flags[i] & ALLOWED) != 0 && upstreamStatuses[i] != 0) {
                classes[upstreamStatuses[i] / 100 - 1] += sign;
                if (upstreamLatencies[i] >= 0) {
                    histogram[LatencyHistogram.bucket(upstreamLatencies[i])] += sign;
                }
            }
        }
    }

    /**
     * Adds {@code sign} per blocked event with {@code from <= millis < to} to number {@code bucket} of its rule's
     * series ({@code buckets} long; {@code ""} for none) in {@code counts}.
     */
    void countBlockedByRule(long from, long to, int bucket, int buckets, int sign, Map<String, long[]> counts) {
        for (int i = firstAtOrAfter(from); i < tail && millis[i] < to; i++) {
            if ((flags[i] & ALLOWED) == 0) {
                counts.computeIfAbsent(strings.text(ruleNames[i]), rule -> new long[buckets])[bucket] += sign;
            }
        }
    }

    /**
     * Counts the events of the key with id {@code key} with {@code millis >= from} per bucket and outcome into
     * {@code counts}, and per user agent into {@code agents}.
     */
    void countKey(long from, int key, long start, long width, long[][] counts, Map<String, long[]> agents) {
        int last = counts.length - 1;
        for (int i = firstAtOrAfter(from); i < tail; i++) {
            if (keys[i] == key) {
                int outcome = StoredEvent.outcome((flags[i] & ALLOWED) != 0, (flags[i] & SHADOW) != 0);
                counts[(int) Math.min(last, (millis[i] - start) / width)][outcome]++;
                if (userAgents[i] != SharedStrings.NONE) {
                    agents.computeIfAbsent(strings.text(userAgents[i]), agent -> new long[1])[0]++;
                }
            }
        }
    }

    /**
     * Hands the key of every event with {@code from <= millis < to} that is blocked ({@code blocked}) or
     * shadow-blocked (otherwise) to {@code visitor}, read from the columns without making an event of each.
     */
    void forEachRefusedKey(boolean blocked, long from, long to, Consumer<String> visitor) {
        byte shadowBlocked = ALLOWED | SHADOW;
        for (int i = firstAtOrAfter(from); i < tail && millis[i] < to; i++) {
            if (blocked ? (flags[i] & ALLOWED) == 0 : flags[i] == shadowBlocked) {
                visitor.accept(strings.text(keys[i]));
            }
        }
    }

    /**
     * Whether this minute may hold events of a key whose {@link #keyHash} is {@code hash}: false only if it holds none.
     */
    boolean mightHold(long hash) {
        long bits = filterBits(hash);
        return (keyFilter[filterWord(hash)] & bits) == bits;
    }

    /**
     * The hash of {@code key} that the key filter is built from: its low half picks the word, its high half the bits
     * (the finalizer of MurmurHash3 over the string's hash, which every string keeps once computed).
     */
    static long keyHash(String key) {
        long hash = key.hashCode();
        hash = (hash ^ (hash >>> 33)) * 0xFF51_AFD7_ED55_8CCDL;
        hash = (hash ^ (hash >>> 33)) * 0xC4CE_B9FE_1A85_EC53L;
        return hash ^ (hash >>> 33);
    }

    /**
     * Hands the events of the key with id {@code key} with {@code from <= millis < to} to {@code visitor}, newest
     * first, until it says stop; answers false if it did. Only those events are made.
     */
    boolean forEachOfKeyNewestFirst(int key, long from, long to, EventVisitor visitor) {
        int first = firstAtOrAfter(from);
        for (int i = firstAtOrAfter(to) - 1; i >= first; i--) {
            if (keys[i] == key && !visitor.visit(get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Receives events until it answers false. */
    @FunctionalInterface
    interface EventVisitor {
        boolean visit(StoredEvent event);
    }

    private StoredEvent get(int i) {
        return new StoredEvent(
                millis[i],
                sequences[i],
                keys[i],
                ruleNames[i],
                paths[i],
                methods[i],
                ipAddresses[i],
                userIds[i],
                counts[i],
                limits[i],
                (flags[i] & ALLOWED) != 0,
                (flags[i] & SHADOW) != 0,
                userAgents[i],
                upstreamStatuses[i],
                upstreamLatencies[i],
                strings);
    }

    private void set(int i, StoredEvent event) {
        millis[i] = event.millis;
        sequences[i] = event.sequence;
        keys[i] = event.keyId;
        ruleNames[i] = event.ruleNameId;
        paths[i] = event.pathId;
        methods[i] = event.methodId;
        ipAddresses[i] = event.ipAddressId;
        userIds[i] = event.userIdId;
        counts[i] = event.count;
        limits[i] = event.limit;
        flags[i] = (byte) ((event.allowed ? ALLOWED : 0) | (event.shadow ? SHADOW : 0));
        userAgents[i] = event.userAgentId;
        upstreamStatuses[i] = event.upstreamStatus;
        upstreamLatencies[i] = event.upstreamLatencyMicros;
    }

    /** Whether {@code event} sorts before the event at {@code i}. */
    private boolean isBefore(StoredEvent event, int i) {
        return event.millis < millis[i] || (event.millis == millis[i] && event.sequence < sequences[i]);
    }

    private void count(int outcome, int delta) {
        switch (outcome) {
            case StoredEvent.BLOCKED -> blocked += delta;
            case StoredEvent.SHADOW_BLOCKED -> shadowBlocked += delta;
            default -> allowed += delta;
        }
    }

    private int firstAtOrAfter(long at) {
        int low = head;
        int high = tail;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (millis[mid] < at) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private int firstAfter(long at) {
        return at == Long.MAX_VALUE ? tail : firstAtOrAfter(at + 1);
    }

    /** Copies {@code length} events from {@code from} to {@code to} within the columns. */
    private void move(int from, int to, int length) {
        System.arraycopy(millis, from, millis, to, length);
        System.arraycopy(sequences, from, sequences, to, length);
        System.arraycopy(keys, from, keys, to, length);
        System.arraycopy(ruleNames, from, ruleNames, to, length);
        System.arraycopy(paths, from, paths, to, length);
        System.arraycopy(methods, from, methods, to, length);
        System.arraycopy(ipAddresses, from, ipAddresses, to, length);
        System.arraycopy(userIds, from, userIds, to, length);
        System.arraycopy(counts, from, counts, to, length);
        System.arraycopy(limits, from, limits, to, length);
        System.arraycopy(flags, from, flags, to, length);
        System.arraycopy(userAgents, from, userAgents, to, length);
        System.arraycopy(upstreamStatuses, from, upstreamStatuses, to, length);
        System.arraycopy(upstreamLatencies, from, upstreamLatencies, to, length);
    }

    private void makeRoom() {
        int size = tail - head;
        if (head > 0 && size <= millis.length / 2) {
            move(head, 0, size);
            head = 0;
            tail = size;
            rebuildFilter();
        } else {
            resize(Math.max(INITIAL_CAPACITY, size * 2));
        }
    }

    /** Moves the events into new columns of {@code capacity}, from index 0. */
    private void resize(int capacity) {
        int size = tail - head;
        millis = Arrays.copyOfRange(millis, head, head + capacity);
        sequences = Arrays.copyOfRange(sequences, head, head + capacity);
        keys = Arrays.copyOfRange(keys, head, head + capacity);
        ruleNames = Arrays.copyOfRange(ruleNames, head, head + capacity);
        paths = Arrays.copyOfRange(paths, head, head + capacity);
        methods = Arrays.copyOfRange(methods, head, head + capacity);
        ipAddresses = Arrays.copyOfRange(ipAddresses, head, head + capacity);
        userIds = Arrays.copyOfRange(userIds, head, head + capacity);
        counts = Arrays.copyOfRange(counts, head, head + capacity);
        limits = Arrays.copyOfRange(limits, head, head + capacity);
        flags = Arrays.copyOfRange(flags, head, head + capacity);
        userAgents = Arrays.copyOfRange(userAgents, head, head + capacity);
        upstreamStatuses = Arrays.copyOfRange(upstreamStatuses, head, head + capacity);
        upstreamLatencies = Arrays.copyOfRange(upstreamLatencies, head, head + capacity);
        head = 0;
        tail = size;
        keyFilter = new long[filterLength(capacity)];
        rebuildFilter();
        columnBytes = columnBytes(capacity);
    }

    /** Sets the key filter to the keys held, and only them. */
    private void rebuildFilter() {
        Arrays.fill(keyFilter, 0L);
        for (int i = head; i < tail; i++) {
            addToFilter(strings.text(keys[i]));
        }
    }

    private void addToFilter(String key) {
        long hash = keyHash(key);
        keyFilter[filterWord(hash)] |= filterBits(hash);
    }

    /** The word of the key filter that holds a key's bits: the low half of its hash, scaled to the filter. */
    private int filterWord(long hash) {
        return (int) (((hash & 0xFFFF_FFFFL) * keyFilter.length) >>> 32);
    }

    /** The four bits a key sets in its word, from four 6-bit pieces of the high half of its hash (two may agree). */
    private static long filterBits(long hash) {
        return (1L << (hash >>> 32)) | (1L << (hash >>> 38)) | (1L << (hash >>> 44)) | (1L << (hash >>> 50));
    }

    /** The longs of a key filter for {@code capacity} places: eight bits each. */
    private static int filterLength(int capacity) {
        return (capacity + 7) / 8;
    }
}
