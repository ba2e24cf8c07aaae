package dev.tollgate.monitor;

import dev.tollgate.monitor.spi.ParsedLine;
import dev.tollgate.monitor.spi.ParsedLine.Field;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The counters of one chunk while it is open; reused for later chunks. Not thread-safe. */
final class ChunkAccumulator {

    private static final String[] STATUS_CLASSES = {"other", "1xx", "2xx", "3xx", "4xx", "5xx"};

    /** The chunk's number ({@code floor(second / chunk size)}), or {@link Long#MIN_VALUE} when unused. */
    long index = Long.MIN_VALUE;
    long requests;
    private long bytes;
    private final CountTable sections = new CountTable(16);
    private final CountTable methods = new CountTable(8);
    private final CountTable hosts = new CountTable(64);
    private final long[] statusClasses = new long[STATUS_CLASSES.length];

    void open(long index) {
        this.index = index;
        requests = 0;
        bytes = 0;
        sections.clear();
        methods.clear();
        hosts.clear();
        Arrays.fill(statusClasses, 0);
    }

    void close() {
        index = Long.MIN_VALUE;
    }

    void add(ParsedLine line, Sections finder) {
        requests++;
        bytes += line.bytes();
        finder.find(line.array(Field.PATH), line.from(Field.PATH), line.to(Field.PATH));
        sections.increment(finder.array, finder.from, finder.to);
        methods.increment(line.array(Field.METHOD), line.from(Field.METHOD), line.to(Field.METHOD));
        hosts.increment(line.array(Field.HOST), line.from(Field.HOST), line.to(Field.HOST));
        int statusClass = line.status() / 100;
        statusClasses[statusClass >= 1 && statusClass <= 5 ? statusClass : 0]++;
    }

    ChunkReport report(long firstSecond, long lastSecond, boolean complete, int top) {
        Map<String, Long> classes = new LinkedHashMap<>();
        for (int i = 1; i <= STATUS_CLASSES.length; i++) {
            int c = i % STATUS_CLASSES.length;
            if (statusClasses[c] > 0) {
                classes.put(STATUS_CLASSES[c], statusClasses[c]);
            }
        }
        return new ChunkReport(firstSecond, lastSecond, complete, requests, bytes,
                sections.top(top, requests), methods.all(), classes, hosts.top(top, requests));
    }

    static ChunkReport empty(long firstSecond, long lastSecond, boolean complete) {
        return new ChunkReport(firstSecond, lastSecond, complete, 0, 0, List.of(), Map.of(), Map.of(), List.of());
    }
}
