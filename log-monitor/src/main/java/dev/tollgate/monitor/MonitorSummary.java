package dev.tollgate.monitor;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a run of the monitor read and raised, given when it ends.
 *
 * @param format the log format used; empty when the input had no lines to tell it from
 * @param lines the lines read, blank ones and headers included
 * @param records the requests read, late ones included
 * @param badLines the lines that could not be parsed, and those whose time was out of range
 * @param lateLines the requests more than {@code --lateness} older than the newest seen, left out of
 *     the statistics and the alert
 * @param alerts the high-traffic alerts raised
 * @param recoveries the alerts recovered
 * @param firstSecond the earliest second placed in the statistics
 * @param lastSecond the newest second of log time reached
 * @param elapsed the wall-clock time the run took
 * @param statusClasses the requests read (late ones included) per status class, as in
 *     {@link ChunkReport#statusClasses()}
 * @param statusCodes the requests read (late ones included) per exact status code, in code order
 */
public record MonitorSummary(
        Optional<String> format,
        long lines,
        long records,
        long badLines,
        long lateLines,
        long alerts,
        long recoveries,
        OptionalLong firstSecond,
        OptionalLong lastSecond,
        Duration elapsed,
        Map<String, Long> statusClasses,
        Map<Integer, Long> statusCodes) {

    public MonitorSummary {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(firstSecond, "firstSecond");
        Objects.requireNonNull(lastSecond, "lastSecond");
        Objects.requireNonNull(elapsed, "elapsed");
        statusClasses = OrderedMaps.copyOf(statusClasses);
        statusCodes = OrderedMaps.copyOf(statusCodes);
    }

    /**
     * The summary as one JSON object: {@code type} {@code summary}, {@code format}, {@code lines},
     * {@code records}, {@code bad_lines}, {@code late_lines}, {@code alerts}, {@code recoveries},
     * {@code first}, {@code last} (epoch seconds, absent without records), {@code status} (requests by
     * status class) and {@code status_codes} (by exact code), {@code elapsed_ms}.
     */
    public JsonObject toJson() {
        JsonObject json = new JsonObject().put("type", "summary");
        format.ifPresent(f -> json.put("format", f));
        json.put("lines", lines)
                .put("records", records)
                .put("bad_lines", badLines)
                .put("late_lines", lateLines)
                .put("alerts", alerts)
                .put("recoveries", recoveries);
        firstSecond.ifPresent(s -> json.put("first", s));
        lastSecond.ifPresent(s -> json.put("last", s));
        JsonObject classes = new JsonObject();
        statusClasses.forEach(classes::put);
        JsonObject codes = new JsonObject();
        statusCodes.forEach((code, count) -> codes.put(Integer.toString(code), count));
        return json.put("status", classes).put("status_codes", codes).put("elapsed_ms", elapsed.toMillis());
    }
}
