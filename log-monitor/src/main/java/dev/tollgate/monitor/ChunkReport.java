package dev.tollgate.monitor;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * The traffic of one chunk of log time ({@code --chunksize} seconds, aligned to multiples of it since
 * the epoch). Chunks without requests that follow one another are reported as one.
 *
 * @param firstSecond the chunk's first second; for the first chunk of a run, the earliest second
 *     placed, which may be a little before the chunk's start when the first lines arrive out of order
 * @param lastSecond the chunk's last second, inclusive; for the last, partial chunk, the newest second
 * @param complete false only for the chunk still open when the input ended
 * @param requests the requests placed in the chunk (late lines are not)
 * @param bytes the response bytes of those requests
 * @param sections the busiest sections, most hits first, ties by name
 * @param methods requests per HTTP method, most first
 * @param statusClasses requests per status class ({@code 2xx} … {@code 5xx}, {@code other}), in
 *     class order, classes without requests left out
 * @param statusCodes requests per exact status code ({@code 200}, {@code 401}, {@code 404} …), in code
 *     order, codes without requests left out
 * @param hosts the busiest hosts, most hits first, ties by name
 */
public record ChunkReport(
        long firstSecond,
        long lastSecond,
        boolean complete,
        long requests,
        long bytes,
        List<TopEntry> sections,
        Map<String, Long> methods,
        Map<String, Long> statusClasses,
        Map<Integer, Long> statusCodes,
        List<TopEntry> hosts) {

    public ChunkReport {
        sections = List.copyOf(sections);
        hosts = List.copyOf(hosts);
        methods = OrderedMaps.copyOf(methods);
        statusClasses = OrderedMaps.copyOf(statusClasses);
        statusCodes = OrderedMaps.copyOf(statusCodes);
    }

    /** The chunk's length in seconds. */
    public long seconds() {
        return lastSecond - firstSecond + 1;
    }

    /** Requests per second over the chunk. */
    public double rate() {
        return requests / (double) seconds();
    }

    /**
     * The chunk as one JSON object: {@code type} {@code stats}, {@code from}, {@code to} (epoch
     * seconds), {@code from_time}, {@code to_time}, {@code complete}, {@code requests}, {@code bytes},
     * {@code rate}, {@code sections} and {@code hosts} (arrays of {@code {section|host, hits, share}}),
     * {@code methods}, {@code status} (by class) and {@code status_codes} (by code; objects of counts).
     */
    public JsonObject toJson() {
        JsonArray sectionRows = new JsonArray();
        sections.forEach(e -> sectionRows.add(
                new JsonObject().put("section", e.name()).put("hits", e.hits()).put("share", e.share())));
        JsonArray hostRows = new JsonArray();
        hosts.forEach(e -> hostRows.add(
                new JsonObject().put("host", e.name()).put("hits", e.hits()).put("share", e.share())));
        JsonObject methodCounts = new JsonObject();
        methods.forEach(methodCounts::put);
        JsonObject statusCounts = new JsonObject();
        statusClasses.forEach(statusCounts::put);
        JsonObject codeCounts = new JsonObject();
        statusCodes.forEach((code, count) -> codeCounts.put(Integer.toString(code), count));
        return new JsonObject()
                .put("type", "stats")
                .put("from", firstSecond)
                .put("to", lastSecond)
                .put("from_time", TimeText.iso(firstSecond))
                .put("to_time", TimeText.iso(lastSecond))
                .put("complete", complete)
                .put("requests", requests)
                .put("bytes", bytes)
                .put("rate", rate())
                .put("sections", sectionRows)
                .put("methods", methodCounts)
                .put("status", statusCounts)
                .put("status_codes", codeCounts)
                .put("hosts", hostRows);
    }
}
