package dev.tollgate.core;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Tollgate's counters, written from any thread and read as Prometheus text by {@code /metrics}:
 * decisions by rule and outcome, limiter failures, events published, recorded and dropped, and the
 * latency of the event store's appends.
 */
public final class TollgateMetrics {

    /** Upper bounds of the append latency histogram, in seconds. */
    private static final double[] LATENCY_BOUNDS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    /** rule → outcome → count; looked up without building label strings on the request path. */
    private final Map<String, Map<String, LongAdder>> decisions = new ConcurrentHashMap<>();

    private final LongAdder limiterFailures = new LongAdder();
    private final LongAdder published = new LongAdder();
    private final LongAdder recorded = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder appendFailures = new LongAdder();
    private final AtomicLong buffered = new AtomicLong();
    private final LongAdder[] latencyBuckets = new LongAdder[LATENCY_BOUNDS.length];
    private final LongAdder latencyCount = new LongAdder();
    private final LongAdder latencyNanos = new LongAdder();
    private volatile io.vertx.core.json.JsonObject live = new io.vertx.core.json.JsonObject();
    /** metric name → label value → count, for the counters with one label (refusals, timeouts, upstream errors). */
    private final Map<String, Map<String, LongAdder>> labelled = new ConcurrentHashMap<>();

    private final LongAdder spooled = new LongAdder();
    private final LongAdder replayed = new LongAdder();
    private final AtomicLong spoolPending = new AtomicLong();
    private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();
    private volatile long storeFailingSince = -1;
    private volatile String storeFailure = "";

    /** A gauge read when {@code /metrics} is asked. */
    private record Gauge(String help, LongSupplier value) {}

    /** What a labelled counter means and what its label is called. */
    private record LabelledCounter(String help, String label) {}

    private static final Map<String, LabelledCounter> LABELLED = Map.of(
            "tollgate_http_refused_total",
                    new LabelledCounter(
                            "Requests refused before any rule: bad_path (400), header_timeout (408).", "reason"),
            "tollgate_gateway_errors_total",
                    new LabelledCounter(
                            "Requests the upstream did not answer: connect_timeout and timeout (504), error (502).",
                            "kind"));

    public TollgateMetrics() {
        for (int i = 0; i < latencyBuckets.length; i++) {
            latencyBuckets[i] = new LongAdder();
        }
    }

    /**
     * One decision of {@code rule}: {@code allowed}, {@code blocked}, {@code shadow_blocked} (a shadow rule that would
     * have refused; the request was served), {@code denied} or {@code failed}.
     */
    public void decision(String rule, String outcome) {
        Map<String, LongAdder> byOutcome = decisions.get(rule);
        if (byOutcome == null) {
            byOutcome = decisions.computeIfAbsent(rule, r -> new ConcurrentHashMap<>());
        }
        LongAdder count = byOutcome.get(outcome);
        if (count == null) {
            count = byOutcome.computeIfAbsent(outcome, o -> new LongAdder());
        }
        count.increment();
    }

    /** A request refused before any rule was asked, for {@code reason} ({@code bad_path}, {@code header_timeout}). */
    public void refused(String reason) {
        increment("tollgate_http_refused_total", reason);
    }

    /** A request the upstream did not answer: {@code connect_timeout}, {@code timeout} or {@code error}. */
    public void gatewayError(String kind) {
        increment("tollgate_gateway_errors_total", kind);
    }

    /** How many requests were counted under {@code metric} with the label value {@code value}. */
    public long count(String metric, String value) {
        LongAdder adder = labelled.getOrDefault(metric, Map.of()).get(value);
        return adder == null ? 0 : adder.sum();
    }

    private void increment(String metric, String value) {
        labelled.computeIfAbsent(metric, m -> new ConcurrentHashMap<>())
                .computeIfAbsent(value, v -> new LongAdder())
                .increment();
    }

    /** Reports {@code value} as the gauge {@code name} on every {@code /metrics}; a second call replaces it. */
    public void gauge(String name, String help, LongSupplier value) {
        gauges.put(name, new Gauge(help, value));
    }

    /** Events written to the spool because the store could not take them. */
    public void spooled(long events) {
        spooled.add(events);
    }

    /** Events replayed from the spool into the store. */
    public void replayed(long events) {
        replayed.add(events);
    }

    /** Events waiting in the spool. */
    public void spoolPending(long events) {
        spoolPending.set(events);
    }

    public long spooledEvents() {
        return spooled.sum();
    }

    public long replayedEvents() {
        return replayed.sum();
    }

    public long spoolPendingEvents() {
        return spoolPending.get();
    }

    /** An append failed with {@code cause}; the first failure of an outage marks its start. */
    public void storeFailing(String cause) {
        storeFailure = cause;
        if (storeFailingSince < 0) {
            storeFailingSince = System.currentTimeMillis();
        }
    }

    /** An append succeeded: an outage of the store ends. */
    public void storeAnswering() {
        storeFailingSince = -1;
    }

    /** How long the store has been failing at {@code nowMillis}; empty while it answers. */
    public Optional<Duration> storeUnreachableFor(long nowMillis) {
        long since = storeFailingSince;
        return since < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(Math.max(0, nowMillis - since)));
    }

    /** The latest failure of the store. */
    public String storeFailure() {
        return storeFailure;
    }

    public void limiterFailure() {
        limiterFailures.increment();
    }

    public void published() {
        published.increment();
    }

    public void recorded(long events, long nanos) {
        recorded.add(events);
        latencyCount.increment();
        latencyNanos.add(nanos);
        double seconds = nanos / 1e9;
        for (int i = 0; i < LATENCY_BOUNDS.length; i++) {
            if (seconds <= LATENCY_BOUNDS[i]) {
                latencyBuckets[i].increment();
            }
        }
    }

    public void appendFailed() {
        appendFailures.increment();
    }

    public void dropped(long events) {
        dropped.add(events);
    }

    public void buffered(long events) {
        buffered.set(events);
    }

    /** The latest live counters published on {@code tollgate.stats}. */
    public io.vertx.core.json.JsonObject liveStats() {
        return live.copy();
    }

    void liveStats(io.vertx.core.json.JsonObject stats) {
        live = stats;
    }

    /** Events recorded in the store so far. */
    public long recordedEvents() {
        return recorded.sum();
    }

    /** Events lost: neither the store nor the spool could take them. */
    public long droppedEvents() {
        return dropped.sum();
    }

    /** Events waiting in the recorder's buffer. */
    public long bufferedEvents() {
        return buffered.get();
    }

    /** Decisions counted for {@code rule} and {@code outcome}. */
    public long decisions(String rule, String outcome) {
        LongAdder adder = decisions.getOrDefault(rule, Map.of()).get(outcome);
        return adder == null ? 0 : adder.sum();
    }

    /** The counters in the Prometheus text exposition format. */
    public String prometheus() {
        StringBuilder out = new StringBuilder(1024);
        out.append("# HELP tollgate_decisions_total Rate-limit decisions by rule and outcome.\n");
        out.append("# TYPE tollgate_decisions_total counter\n");
        new TreeMap<>(decisions)
                .forEach((rule, byOutcome) -> new TreeMap<>(byOutcome)
                        .forEach((outcome, count) -> out.append("tollgate_decisions_total{")
                                .append(label("rule", rule))
                                .append(',')
                                .append(label("outcome", outcome))
                                .append("} ")
                                .append(count.sum())
                                .append('\n')));
        counter(
                out,
                "tollgate_limiter_failures_total",
                "Decisions a limiter backend failed to make.",
                limiterFailures.sum());
        counter(out, "tollgate_events_published_total", "Events published on tollgate.events.", published.sum());
        counter(out, "tollgate_events_recorded_total", "Events appended to the event store.", recorded.sum());
        counter(
                out,
                "tollgate_events_dropped_total",
                "Events lost: neither the store nor the spool could take them.",
                dropped.sum());
        counter(
                out,
                "tollgate_events_spooled_total",
                "Events written to the spool while the store could not take them.",
                spooled.sum());
        counter(
                out,
                "tollgate_events_replayed_total",
                "Events replayed from the spool into the store.",
                replayed.sum());
        new TreeMap<>(LABELLED).forEach((metric, meaning) -> {
            out.append("# HELP ")
                    .append(metric)
                    .append(' ')
                    .append(meaning.help())
                    .append('\n');
            out.append("# TYPE ").append(metric).append(" counter\n");
            new TreeMap<>(labelled.getOrDefault(metric, Map.of()))
                    .forEach((value, count) -> out.append(metric)
                            .append('{')
                            .append(label(meaning.label(), value))
                            .append("} ")
                            .append(count.sum())
                            .append('\n'));
        });
        counter(
                out,
                "tollgate_store_append_failures_total",
                "Failed appends to the event store (retried).",
                appendFailures.sum());
        out.append("# HELP tollgate_events_buffered Events waiting to be appended.\n");
        out.append("# TYPE tollgate_events_buffered gauge\n");
        out.append("tollgate_events_buffered ").append(buffered.get()).append('\n');
        gauge(out, "tollgate_events_spool_pending", "Events in the spool, waiting to be replayed.", spoolPending.get());
        new TreeMap<>(gauges)
                .forEach((name, g) -> gauge(out, name, g.help(), g.value().getAsLong()));
        out.append("# HELP tollgate_store_append_seconds Latency of successful appends to the event store.\n");
        out.append("# TYPE tollgate_store_append_seconds histogram\n");
        for (int i = 0; i < LATENCY_BOUNDS.length; i++) {
            out.append("tollgate_store_append_seconds_bucket{le=\"")
                    .append(LATENCY_BOUNDS[i])
                    .append("\"} ")
                    .append(latencyBuckets[i].sum())
                    .append('\n');
        }
        long count = latencyCount.sum();
        out.append("tollgate_store_append_seconds_bucket{le=\"+Inf\"} ")
                .append(count)
                .append('\n');
        out.append("tollgate_store_append_seconds_sum ")
                .append(latencyNanos.sum() / 1e9)
                .append('\n');
        out.append("tollgate_store_append_seconds_count ").append(count).append('\n');
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
        out.append(name).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        out.append(name).append(' ').append(value).append('\n');
    }

    private static String label(String name, String value) {
        StringBuilder out = new StringBuilder(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
