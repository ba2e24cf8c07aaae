package dev.tollgate.monitor;

import dev.tollgate.monitor.spi.ParsedLine;
import java.time.Duration;
import java.util.Arrays;

/**
 * Log time: places requests in their second, closes seconds once no line may still land in them, and
 * on each closed second evaluates the alert rule and, at the end of a chunk, reports the chunk.
 *
 * <p>The newest second seen is {@code N}. A request at second {@code s >= N - lateness} is placed;
 * an older one is late. Every second up to {@code N - lateness - 1} is final, so the order in which
 * lines arrive within the lateness changes nothing. Hits per second live in a ring buffer of at least
 * {@code window + lateness + 2} seconds; the hits of the window ending at the last final second are
 * kept as a running sum. Not thread-safe: one reading thread drives it.
 */
final class Timeline {

    /** Where the results go. */
    interface Events {
        void chunk(ChunkReport chunk);

        void alert(TrafficAlert alert);

        void second(SecondCount second);

        /** Whether {@link #second} does anything: a second is final a hundred thousand times in a day of log. */
        default boolean wantsSeconds() {
            return true;
        }
    }

    private static final long NONE = Long.MIN_VALUE;

    private final long window;
    private final Duration windowDuration;
    private final long lateness;
    private final long chunkSize;
    private final double threshold;
    private final int top;
    private final Events events;
    private final boolean seconds;
    private final int[] hits;
    private final int mask;
    private final ChunkAccumulator[] chunks;
    private final Sections sections = new Sections();

    private boolean started;
    private long newest;
    private long finalized;
    private long earliest;
    private long firstChunk;
    private long windowSum;
    private boolean alerting;
    private long alerts;
    private long recoveries;
    private long late;
    private long emptyFrom = NONE;
    private long emptyTo;
    private boolean emptyComplete;

    Timeline(long windowSeconds, long latenessSeconds, long chunkSeconds, double threshold, int top, Events events) {
        this.window = windowSeconds;
        this.windowDuration = Duration.ofSeconds(windowSeconds);
        this.lateness = latenessSeconds;
        this.chunkSize = chunkSeconds;
        this.threshold = threshold;
        this.top = top;
        this.events = events;
        this.seconds = events.wantsSeconds();
        int ring = Integer.highestOneBit((int) (windowSeconds + latenessSeconds + 2) * 2 - 1);
        this.hits = new int[ring];
        this.mask = ring - 1;
        this.chunks = new ChunkAccumulator[(int) ((latenessSeconds + 1) / chunkSeconds + 3)];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = new ChunkAccumulator();
        }
    }

    /** Places the request in {@code line}; false when it is late and was left out. */
    boolean place(ParsedLine line) {
        long s = line.epochSecond();
        if (!started) {
            started = true;
            newest = s;
            finalized = s - lateness - 1;
            earliest = s;
            firstChunk = Math.floorDiv(s, chunkSize);
        }
        if (s > newest) {
            advance(s);
        } else if (s < newest - lateness) {
            late++;
            return false;
        }
        hits[(int) s & mask]++;
        if (s < earliest) {
            earliest = s;
        }
        // a line within the lateness before the first one joins the first chunk instead of opening one
        long k = Math.max(Math.floorDiv(s, chunkSize), firstChunk);
        ChunkAccumulator chunk = chunks[(int) Math.floorMod(k, (long) chunks.length)];
        if (chunk.index != k) {
            chunk.open(k);
        }
        chunk.add(line, sections);
        return true;
    }

    /** Moves the newest second forward to {@code second} without a request, as the wall clock does. */
    void advanceTo(long second) {
        if (started && second > newest) {
            advance(second);
            // no line is coming to extend a run of empty chunks: show it now
            flushEmpty();
        }
    }

    /** Closes every second up to the newest and reports the last chunk, partial or not. */
    void finish() {
        if (!started) {
            return;
        }
        finalizeThrough(newest);
        if (Math.floorMod(newest + 1, chunkSize) != 0) {
            closeChunk(Math.floorDiv(newest, chunkSize), newest, false);
        }
        flushEmpty();
    }

    /**
     * Moves the newest second forward to {@code second}, as a line placed there does before it is counted; the lines
     * of the seconds this makes final must have been {@linkplain #addHits added} before. Only once started.
     */
    void moveTo(long second) {
        if (second > newest) {
            advance(second);
        }
    }

    /**
     * Adds {@code n} requests placed elsewhere in {@code second}, which is neither final nor after the newest second,
     * as {@link #place} would have counted them.
     */
    void addHits(long second, int n) {
        hits[(int) second & mask] += n;
        if (second < earliest) {
            earliest = second;
        }
    }

    /** Adds the counters of requests placed elsewhere in chunk {@code part.index}, which is not closed yet. */
    void addChunk(ChunkAccumulator part) {
        long k = Math.max(part.index, firstChunk);
        ChunkAccumulator chunk = chunks[(int) Math.floorMod(k, (long) chunks.length)];
        if (chunk.index != k) {
            chunk.open(k);
        }
        chunk.addAll(part);
    }

    /** Counts {@code n} late requests found elsewhere. */
    void addLate(long n) {
        late += n;
    }

    boolean started() {
        return started;
    }

    long newest() {
        return newest;
    }

    long earliest() {
        return earliest;
    }

    long alerts() {
        return alerts;
    }

    long recoveries() {
        return recoveries;
    }

    long late() {
        return late;
    }

    private void advance(long target) {
        finalizeThrough(target - lateness - 1);
        if (target - newest >= hits.length) {
            Arrays.fill(hits, 0);
        } else {
            for (long s = newest + 1; s <= target; s++) {
                hits[(int) s & mask] = 0;
            }
        }
        newest = target;
    }

    private void finalizeThrough(long target) {
        while (finalized < target) {
            long t = finalized + 1;
            if (windowSum == 0 && t > newest) {
                // no hits in the window and none to come before the newest second: nothing changes
                closeChunksThrough(t, target);
                finalized = target;
                return;
            }
            windowSum += hitsAt(t) - hitsAt(t - window);
            double rate = windowSum / (double) window;
            if (!alerting && rate > threshold) {
                alerting = true;
                alerts++;
                flushEmpty();
                events.alert(new TrafficAlert(TrafficAlert.Kind.HIGH, t, windowSum, windowDuration, threshold));
            } else if (alerting && rate <= threshold) {
                alerting = false;
                recoveries++;
                flushEmpty();
                events.alert(new TrafficAlert(TrafficAlert.Kind.RECOVERED, t, windowSum, windowDuration, threshold));
            }
            finalized = t;
            if (seconds) {
                events.second(new SecondCount(t, hitsAt(t), windowSum, window));
            }
            if (Math.floorMod(t + 1, chunkSize) == 0) {
                closeChunk(Math.floorDiv(t, chunkSize), t, true);
            }
        }
    }

    private int hitsAt(long second) {
        return second > newest ? 0 : hits[(int) second & mask];
    }

    /** Closes the chunk holding {@code t} and every chunk after it that ends by {@code target}. */
    private void closeChunksThrough(long t, long target) {
        long first = Math.floorDiv(t, chunkSize);
        long last = Math.floorDiv(target + 1, chunkSize) - 1;
        if (first > last) {
            return;
        }
        closeChunk(first, first * chunkSize + chunkSize - 1, true);
        if (first < last) {
            // past the newest second: nothing was placed there
            addEmpty((first + 1) * chunkSize, last * chunkSize + chunkSize - 1, true);
        }
    }

    private void closeChunk(long k, long lastSecond, boolean complete) {
        if (k < firstChunk) {
            return;
        }
        long firstSecond = k == firstChunk ? earliest : k * chunkSize;
        ChunkAccumulator chunk = chunks[(int) Math.floorMod(k, (long) chunks.length)];
        if (chunk.index == k && chunk.requests > 0) {
            flushEmpty();
            events.chunk(chunk.report(firstSecond, lastSecond, complete, top));
        } else {
            addEmpty(firstSecond, lastSecond, complete);
        }
        if (chunk.index == k) {
            chunk.close();
        }
    }

    private void addEmpty(long first, long last, boolean complete) {
        if (emptyFrom == NONE) {
            emptyFrom = first;
        }
        emptyTo = last;
        emptyComplete = complete;
    }

    private void flushEmpty() {
        if (emptyFrom != NONE) {
            events.chunk(ChunkAccumulator.empty(emptyFrom, emptyTo, emptyComplete));
            emptyFrom = NONE;
        }
    }
}
