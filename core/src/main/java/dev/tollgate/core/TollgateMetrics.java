package dev.tollgate.core;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Tollgate's meters, written from any thread and read as Prometheus text by {@code /metrics}: decisions by rule and
 * outcome, limiter failures, events published, recorded and dropped, the latency of the event store's appends, and
 * the JVM's memory, GC, threads, classes and CPU. They live in a Micrometer {@link PrometheusMeterRegistry}: one of
 * their own, or the one a Vert.x instance reports its HTTP server and client into (see {@link #registry()}).
 *
 * <p>Labels take values from the configuration or from this class only (rule names, outcomes, reasons), never from a
 * request: a client must not be able to add series.
 */
public final class TollgateMetrics implements AutoCloseable {

    /** The content type of {@link #prometheus()}: the Prometheus text exposition format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** Upper bounds of the latency histograms: the event store's appends, and the HTTP server's and client's. */
    public static final List<Duration> LATENCY_BUCKETS = List.of(
            Duration.ofMillis(1),
            Duration.ofMillis(5),
            Duration.ofMillis(10),
            Duration.ofMillis(25),
            Duration.ofMillis(50),
            Duration.ofMillis(100),
            Duration.ofMillis(250),
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofMillis(2500),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10));

    private static final String DECISIONS = "tollgate.decisions";
    private static final String REFUSED = "tollgate.http.refused";
    private static final String GATEWAY_ERRORS = "tollgate.gateway.errors";

    /** What a labelled counter is called in Micrometer, means, is labelled by, and which values it starts with. */
    private record LabelledCounter(String meter, String help, String label, List<String> values) {}

    /** By their Prometheus names, which {@link #count} takes. */
    private static final Map<String, LabelledCounter> LABELLED = Map.of(
            "tollgate_http_refused_total",
            new LabelledCounter(
                    REFUSED,
                    "Requests refused before any rule: bad_path (400), header_timeout (408), bad_cost (400).",
                    "reason",
                    List.of("bad_path", "header_timeout", "bad_cost")),
            "tollgate_gateway_errors_total",
            new LabelledCounter(
                    GATEWAY_ERRORS,
                    "Requests the upstream did not answer: connect_timeout and timeout (504), error (502).",
                    "kind",
                    List.of("connect_timeout", "timeout", "error")));

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /** rule → outcome → counter; looked up without building tags on the request path. */
    private final Map<String, Map<String, Counter>> decisions = new ConcurrentHashMap<>();
    /** Prometheus name → label value → counter, for the counters with one label (refusals, upstream errors). */
    private final Map<String, Map<String, Counter>> labelled = new ConcurrentHashMap<>();

    private final Counter limiterFailures;
    private final Counter published;
    private final Counter recorded;
    private final Counter dropped;
    private final Counter appendFailures;
    private final Counter spooled;
    private final Counter replayed;
    private final Timer appendLatency;
    private final AtomicLong buffered = new AtomicLong();
    private final AtomicLong spoolPending = new AtomicLong();
    /** The gauges added by {@link #gauge}, by name, so that a second call can replace one. */
    private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();
    /** The gauges of the adaptive rules' limits, by rule. */
    private final Map<String, Gauge> adaptiveLimits = new HashMap<>();

    private final Map<String, Gauge> delayedRequests = new HashMap<>();
    private final Map<String, Gauge> slotsHeld = new HashMap<>();

    private volatile io.vertx.core.json.JsonObject live = new io.vertx.core.json.JsonObject();
    private volatile long storeFailingSince = -1;
    private volatile String storeFailure = "";

    /** Meters in a registry of their own. */
    public TollgateMetrics() {
        this(newRegistry());
    }

    /**
     * Meters in {@code registry}, beside whatever else reports into it (Vert.x's HTTP server and client, when the
     * Vert.x instance was built with it).
     */
    public TollgateMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        limiterFailures = counter("tollgate.limiter.failures", "Decisions a limiter backend failed to make.");
        published = counter("tollgate.events.published", "Events published on tollgate.events.");
        recorded = counter("tollgate.events.recorded", "Events appended to the event store.");
        dropped = counter("tollgate.events.dropped", "Events lost: neither the store nor the spool could take them.");
        spooled =
                counter("tollgate.events.spooled", "Events written to the spool while the store could not take them.");
        replayed = counter("tollgate.events.replayed", "Events replayed from the spool into the store.");
        appendFailures = counter("tollgate.store.append.failures", "Failed appends to the event store (retried).");
        Gauge.builder("tollgate.events.buffered", buffered, AtomicLong::get)
                .description("Events waiting to be appended.")
                .register(registry);
        Gauge.builder("tollgate.events.spool.pending", spoolPending, AtomicLong::get)
                .description("Events in the spool, waiting to be replayed.")
                .register(registry);
        appendLatency = Timer.builder("tollgate.store.append")
                .description("Latency of successful appends to the event store.")
                .serviceLevelObjectives(LATENCY_BUCKETS.toArray(Duration[]::new))
                .register(registry);
        LABELLED.forEach((name, meaning) -> meaning.values().forEach(value -> labelled(name, value)));
        // the deny list's refusals, rule "": always there, so that the series exists before any rule has decided
        decision("", "denied", 0);
    }

    /** A registry for {@link #TollgateMetrics(PrometheusMeterRegistry)}, before anything reports into it. */
    public static PrometheusMeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /** The registry the meters are in. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    private Counter counter(String name, String help) {
        return Counter.builder(name).description(help).register(registry);
    }

    /**
     * One decision of {@code rule}: {@code allowed}, {@code blocked}, {@code shadow_blocked} (a shadow rule that would
     * have refused; the request was served), {@code denied} or {@code failed}.
     */
    public void decision(String rule, String outcome) {
        decision(rule, outcome, 1);
    }

    private void decision(String rule, String outcome, long times) {
        Map<String, Counter> byOutcome = decisions.get(rule);
        if (byOutcome == null) {
            byOutcome = decisions.computeIfAbsent(rule, r -> new ConcurrentHashMap<>());
        }
        Counter count = byOutcome.get(outcome);
        if (count == null) {
            count = byOutcome.computeIfAbsent(
                    outcome,
                    o -> Counter.builder(DECISIONS)
                            .description("Rate-limit decisions by rule and outcome.")
                            .tag("rule", rule)
                            .tag("outcome", o)
                            .register(registry));
        }
        count.increment((double) times);
    }

    /** A request refused before any rule was asked, for {@code reason} ({@code bad_path}, {@code header_timeout},
     * {@code bad_cost}). */
    public void refused(String reason) {
        labelled("tollgate_http_refused_total", reason).increment();
    }

    /** A request the upstream did not answer: {@code connect_timeout}, {@code timeout} or {@code error}. */
    public void gatewayError(String kind) {
        labelled("tollgate_gateway_errors_total", kind).increment();
    }

    /** How many requests were counted under {@code metric} (its Prometheus name) with the label value {@code value}. */
    public long count(String metric, String value) {
        Counter counter = labelled.getOrDefault(metric, Map.of()).get(value);
        return counter == null ? 0 : (long) counter.count();
    }

    private Counter labelled(String metric, String value) {
        Map<String, Counter> byValue = labelled.computeIfAbsent(metric, m -> new ConcurrentHashMap<>());
        Counter counter = byValue.get(value);
        if (counter == null) {
            LabelledCounter meaning = LABELLED.get(metric);
            counter = byValue.computeIfAbsent(
                    value,
                    v -> Counter.builder(meaning.meter())
                            .description(meaning.help())
                            .tag(meaning.label(), v)
                            .register(registry));
        }
        return counter;
    }

    /**
     * Reports {@code value} as the gauge {@code name} (its Prometheus name, without dots) on every {@code /metrics}; a
     * second call replaces it.
     */
    public void gauge(String name, String help, LongSupplier value) {
        gauges.compute(name, (n, before) -> {
            if (before != null) {
                registry.remove(before);
            }
            return Gauge.builder(n, value, LongSupplier::getAsLong)
                    .description(help)
                    .strongReference(true)
                    .register(registry);
        });
    }

    /**
     * Reports the current limit of each adaptive rule named in {@code rules}, as {@code
     * tollgate_adaptive_limit{rule="…"}}, read through {@code limit} on every scrape; the gauges of adaptive rules not
     * named any more go away.
     */
    public void adaptiveLimits(Collection<String> rules, ToDoubleFunction<String> limit) {
        ruleGauges(
                adaptiveLimits,
                "tollgate.adaptive.limit",
                "The current concurrency limit of an adaptive rule, on this node.",
                rules,
                limit);
    }

    /**
     * Reports how many requests of each delaying rule named in {@code rules} wait for their permits now, as {@code
     * tollgate_delayed_requests{rule="…"}}, read through {@code waiting} on every scrape; the gauges of rules not
     * named any more go away.
     */
    public void delayedRequests(Collection<String> rules, ToDoubleFunction<String> waiting) {
        ruleGauges(
                delayedRequests,
                "tollgate.delayed.requests",
                "Requests of a delaying rule waiting for their permits now, on this node.",
                rules,
                waiting);
    }

    /**
     * Reports how many slots of each concurrency or adaptive rule named in {@code rules} the requests in flight on this
     * node hold, as {@code tollgate_slots_held{rule="…"}}, read through {@code held} on every scrape; the gauges of
     * rules not named any more go away.
     */
    public void slotsHeld(Collection<String> rules, ToDoubleFunction<String> held) {
        ruleGauges(
                slotsHeld,
                "tollgate.slots.held",
                "Slots of a concurrency or adaptive rule held by requests in flight, on this node.",
                rules,
                held);
    }

    /** Keeps a gauge {@code name} per rule of {@code rules} in {@code gauges}, and drops the other rules' gauges. */
    private void ruleGauges(
            Map<String, Gauge> gauges,
            String name,
            String description,
            Collection<String> rules,
            ToDoubleFunction<String> value) {
        synchronized (gauges) {
            gauges.entrySet().removeIf(entry -> {
                if (rules.contains(entry.getKey())) {
                    return false;
                }
                registry.remove(entry.getValue());
                return true;
            });
            for (String rule : rules) {
                gauges.computeIfAbsent(
                        rule,
                        r -> Gauge.builder(name, () -> value.applyAsDouble(r))
                                .description(description)
                                .tag("rule", r)
                                .strongReference(true)
                                .register(registry));
            }
        }
    }

    /** Events written to the spool because the store could not take them. */
    public void spooled(long events) {
        spooled.increment((double) events);
    }

    /** Events replayed from the spool into the store. */
    public void replayed(long events) {
        replayed.increment((double) events);
    }

    /** Events waiting in the spool. */
    public void spoolPending(long events) {
        spoolPending.set(events);
    }

    public long spooledEvents() {
        return (long) spooled.count();
    }

    public long replayedEvents() {
        return (long) replayed.count();
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
        recorded.increment((double) events);
        appendLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void appendFailed() {
        appendFailures.increment();
    }

    public void dropped(long events) {
        dropped.increment((double) events);
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
        return (long) recorded.count();
    }

    /** Events lost: neither the store nor the spool could take them. */
    public long droppedEvents() {
        return (long) dropped.count();
    }

    /** Events waiting in the recorder's buffer. */
    public long bufferedEvents() {
        return buffered.get();
    }

    /** Decisions counted for {@code rule} and {@code outcome}. */
    public long decisions(String rule, String outcome) {
        Counter counter = decisions.getOrDefault(rule, Map.of()).get(outcome);
        return counter == null ? 0 : (long) counter.count();
    }

    /** Every meter of the registry in the Prometheus text exposition format ({@link #CONTENT_TYPE}). */
    public String prometheus() {
        return registry.scrape();
    }

    /** Stops listening to the JVM's GC notifications; the registry and its other meters stay. */
    @Override
    public void close() {
        gc.close();
    }
}
