package dev.tollgate.monitor;

import dev.tollgate.monitor.spi.ParsedLine;
import dev.tollgate.monitor.spi.ParsedLine.Field;
import java.util.List;
import java.util.Map;

/** The counters of one chunk while it is open; reused for later chunks. Not thread-safe. */
final class ChunkAccumulator {

    /** The chunk's number ({@code floor(second / chunk size)}), or {@link Long#MIN_VALUE} when unused. */
    long index = Long.MIN_VALUE;

    long requests;
    private long bytes;
    // small to begin with: the workers of a parallel read make one per chunk; they grow with the keys
    private final CountTable sections = new CountTable(8);
    private final CountTable methods = new CountTable(4);
    private final CountTable hosts = new CountTable(8);
    private final StatusCounts statuses = new StatusCounts();

    void open(long index) {
        this.index = index;
        requests = 0;
        bytes = 0;
        sections.clear();
        methods.clear();
        hosts.clear();
        statuses.clear();
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
        statuses.add(line.status());
    }

    /** Adds the counts of {@code other}, made elsewhere of other lines of the same chunk. */
    void addAll(ChunkAccumulator other) {
        requests += other.requests;
        bytes += other.bytes;
        sections.addAll(other.sections);
        methods.addAll(other.methods);
        hosts.addAll(other.hosts);
        statuses.addAll(other.statuses);
    }

    ChunkReport report(long firstSecond, long lastSecond, boolean complete, int top) {
        return new ChunkReport(
                firstSecond,
                lastSecond,
                complete,
                requests,
                bytes,
                sections.top(top, requests),
                methods.all(),
                statuses.classes(),
                statuses.codes(),
                hosts.top(top, requests));
    }

    static ChunkReport empty(long firstSecond, long lastSecond, boolean complete) {
        return new ChunkReport(
                firstSecond, lastSecond, complete, 0, 0, List.of(), Map.of(), Map.of(), Map.of(), List.of());
    }
}
