package dev.tollgate.core;

import dev.tollgate.plugin.Durations;
import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How an {@code adaptive} rule moves its concurrency limit: the algorithm, the bounds and the smoothing every
 * algorithm has, and the settings of its own algorithm (those of the other are at their defaults and not written).
 *
 * @param algorithm        {@code aimd} or {@code gradient}
 * @param minLimit         the least the limit falls to, at least 1
 * @param maxLimit         the most the limit grows to, at most {@value #MAX_LIMIT}
 * @param initialLimit     the limit before any response has come back, between the two
 * @param smoothing        how far one sample moves the limit towards what it asks for, in (0, 1]: 1 all the way
 * @param backoff          aimd: what a slow or failed response multiplies the limit by, in (0, 1)
 * @param latencyThreshold aimd: the latency above which a response counts as the upstream overloaded
 * @param tolerance        gradient: how much longer than the unloaded latency a response may take before the limit
 *                         falls, at least 1
 * @param probeInterval    gradient: how often the unloaded latency is measured again, the limit held at
 *                         {@code minLimit} while it is, 1 s to 1 h
 * @param queueSize        gradient: the requests the limit leaves for queueing on top of what the latencies ask for
 */
public record AdaptiveOptions(
        Algorithm algorithm,
        int minLimit,
        int maxLimit,
        int initialLimit,
        double smoothing,
        double backoff,
        Duration latencyThreshold,
        double tolerance,
        Duration probeInterval,
        int queueSize) {

    /** The largest limit an adaptive rule may reach. */
    public static final int MAX_LIMIT = 1_000_000;

    /** How an adaptive rule moves its limit. */
    public enum Algorithm {
        /** Additive increase on a fast, fine response; multiplicative decrease on a slow or failed one. */
        AIMD(1.0),
        /** The limit scaled by the unloaded latency over the response's own, plus a queue allowance. */
        GRADIENT(0.2);

        private final double defaultSmoothing;

        Algorithm(double defaultSmoothing) {
            this.defaultSmoothing = defaultSmoothing;
        }

        /** The algorithm as configuration spells it: {@code aimd}, {@code gradient}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The smoothing of a rule that sets none. */
        public double defaultSmoothing() {
            return defaultSmoothing;
        }
    }

    static final int DEFAULT_MIN_LIMIT = 1;
    static final int DEFAULT_MAX_LIMIT = 1_000;
    static final int DEFAULT_INITIAL_LIMIT = 20;
    static final double DEFAULT_BACKOFF = 0.9;
    static final double DEFAULT_TOLERANCE = 1.5;
    static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(30);
    static final int DEFAULT_QUEUE_SIZE = 4;
    /** Stands in for the latency threshold of a gradient rule, which has none. */
    private static final Duration NO_THRESHOLD = Duration.ofDays(1);

    /** Every field of an adaptive rule of its own (beside algorithm, key and status), in the order a form shows them. */
    public static final List<String> FIELDS = List.of(
            "minLimit",
            "maxLimit",
            "initialLimit",
            "smoothing",
            "backoff",
            "latencyThreshold",
            "tolerance",
            "probeInterval",
            "queueSize");

    /** The fields of an adaptive rule that every algorithm takes. */
    static final Set<String> COMMON_FIELDS = Set.of("minLimit", "maxLimit", "initialLimit", "smoothing");
    /** The fields only {@code aimd} takes. */
    static final Set<String> AIMD_FIELDS = Set.of("backoff", "latencyThreshold");
    /** The fields only {@code gradient} takes. */
    static final Set<String> GRADIENT_FIELDS = Set.of("tolerance", "probeInterval", "queueSize");

    public AdaptiveOptions {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(latencyThreshold, "latencyThreshold");
        Objects.requireNonNull(probeInterval, "probeInterval");
        check("minLimit", minLimit >= 1 && minLimit <= MAX_LIMIT, "between 1 and " + MAX_LIMIT, minLimit);
        check(
                "maxLimit",
                maxLimit >= minLimit && maxLimit <= MAX_LIMIT,
                "between minLimit (" + minLimit + ") and " + MAX_LIMIT,
                maxLimit);
        check(
                "initialLimit",
                initialLimit >= minLimit && initialLimit <= maxLimit,
                "between minLimit (" + minLimit + ") and maxLimit (" + maxLimit + ")",
                initialLimit);
        check("smoothing", smoothing > 0 && smoothing <= 1, "more than 0 and at most 1", smoothing);
        check("backoff", backoff > 0 && backoff < 1, "more than 0 and less than 1, as 0.9", backoff);
        check(
                "latencyThreshold",
                latencyThreshold.compareTo(Duration.ofMillis(1)) >= 0,
                "at least 1ms",
                Durations.format(latencyThreshold));
        check("tolerance", tolerance >= 1 && tolerance <= 100, "between 1 and 100, as 1.5", tolerance);
        check(
                "probeInterval",
                probeInterval.compareTo(Duration.ofSeconds(1)) >= 0
                        && probeInterval.compareTo(Duration.ofHours(1)) <= 0,
                "between 1s and 1h",
                Durations.format(probeInterval));
        check("queueSize", queueSize >= 0 && queueSize <= MAX_LIMIT, "between 0 and " + MAX_LIMIT, queueSize);
    }

    /**
     * AIMD between {@code minLimit} and {@code maxLimit}, starting at {@code initialLimit}, backing off by
     * {@value #DEFAULT_BACKOFF} on a response slower than {@code latencyThreshold} or failed.
     */
    public static AdaptiveOptions aimd(int minLimit, int maxLimit, int initialLimit, Duration latencyThreshold) {
        return new AdaptiveOptions(
                Algorithm.AIMD,
                minLimit,
                maxLimit,
                initialLimit,
                Algorithm.AIMD.defaultSmoothing(),
                DEFAULT_BACKOFF,
                latencyThreshold,
                DEFAULT_TOLERANCE,
                DEFAULT_PROBE_INTERVAL,
                DEFAULT_QUEUE_SIZE);
    }

    /** The gradient algorithm between {@code minLimit} and {@code maxLimit}, starting at {@code initialLimit}. */
    public static AdaptiveOptions gradient(int minLimit, int maxLimit, int initialLimit) {
        return new AdaptiveOptions(
                Algorithm.GRADIENT,
                minLimit,
                maxLimit,
                initialLimit,
                Algorithm.GRADIENT.defaultSmoothing(),
                DEFAULT_BACKOFF,
                NO_THRESHOLD,
                DEFAULT_TOLERANCE,
                DEFAULT_PROBE_INTERVAL,
                DEFAULT_QUEUE_SIZE);
    }

    /** These options with another smoothing. */
    public AdaptiveOptions withSmoothing(double smoothing) {
        return new AdaptiveOptions(
                algorithm,
                minLimit,
                maxLimit,
                initialLimit,
                smoothing,
                backoff,
                latencyThreshold,
                tolerance,
                probeInterval,
                queueSize);
    }

    /** These options with another backoff (aimd). */
    public AdaptiveOptions withBackoff(double backoff) {
        return new AdaptiveOptions(
                algorithm,
                minLimit,
                maxLimit,
                initialLimit,
                smoothing,
                backoff,
                latencyThreshold,
                tolerance,
                probeInterval,
                queueSize);
    }

    /** These options with another tolerance, probe interval and queue size (gradient). */
    public AdaptiveOptions withGradient(double tolerance, Duration probeInterval, int queueSize) {
        return new AdaptiveOptions(
                algorithm,
                minLimit,
                maxLimit,
                initialLimit,
                smoothing,
                backoff,
                latencyThreshold,
                tolerance,
                probeInterval,
                queueSize);
    }

    /**
     * Reads the adaptive fields of a rule; problems name the field ({@code rules[2].backoff: ...}).
     *
     * @throws SettingsException naming the field and the problem
     */
    static AdaptiveOptions from(Settings rule) {
        String name = rule.text("algorithm")
                .orElseThrow(() -> rule.problem("algorithm", "an adaptive rule needs an algorithm: aimd or gradient"));
        Algorithm algorithm = null;
        for (Algorithm known : Algorithm.values()) {
            if (known.id().equals(name)) {
                algorithm = known;
            }
        }
        if (algorithm == null) {
            throw rule.problem(
                    "algorithm", "unknown algorithm '" + name + "' for an adaptive rule; known: aimd, gradient");
        }
        Set<String> others = algorithm == Algorithm.AIMD ? GRADIENT_FIELDS : AIMD_FIELDS;
        for (String field : others) {
            if (rule.has(field)) {
                throw rule.problem(
                        field,
                        field + " is a setting of the "
                                + (algorithm == Algorithm.AIMD ? "gradient" : "aimd") + " algorithm; remove it or write"
                                + " algorithm: " + (algorithm == Algorithm.AIMD ? "gradient" : "aimd"));
            }
        }
        int minLimit = (int) rule.whole("minLimit", DEFAULT_MIN_LIMIT, 1, MAX_LIMIT);
        int maxLimit = (int) rule.whole("maxLimit", Math.max(minLimit, DEFAULT_MAX_LIMIT), 1, MAX_LIMIT);
        int initialLimit = (int)
                rule.whole("initialLimit", Math.min(maxLimit, Math.max(minLimit, DEFAULT_INITIAL_LIMIT)), 1, MAX_LIMIT);
        double smoothing = rule.number("smoothing", algorithm.defaultSmoothing());
        Duration threshold = NO_THRESHOLD;
        if (algorithm == Algorithm.AIMD) {
            threshold = rule.duration("latencyThreshold")
                    .orElseThrow(() -> rule.problem(
                            "latencyThreshold",
                            "aimd needs the latency above which the upstream counts as overloaded, as latencyThreshold:"
                                    + " 200ms; pick about twice its usual latency"));
        }
        try {
            return new AdaptiveOptions(
                    algorithm,
                    minLimit,
                    maxLimit,
                    initialLimit,
                    smoothing,
                    rule.number("backoff", DEFAULT_BACKOFF),
                    threshold,
                    rule.number("tolerance", DEFAULT_TOLERANCE),
                    rule.duration("probeInterval").orElse(DEFAULT_PROBE_INTERVAL),
                    (int) rule.whole("queueSize", DEFAULT_QUEUE_SIZE, 0, MAX_LIMIT));
        } catch (SettingsException e) {
            throw e.under(rule.prefix());
        }
    }

    /** Writes the fields of these options into a rule's configuration, those of the other algorithm left out. */
    void writeTo(JsonObject rule) {
        rule.put("algorithm", algorithm.id())
                .put("minLimit", minLimit)
                .put("maxLimit", maxLimit)
                .put("initialLimit", initialLimit)
                .put("smoothing", smoothing);
        if (algorithm == Algorithm.AIMD) {
            rule.put("backoff", backoff).put("latencyThreshold", Durations.format(latencyThreshold));
        } else {
            rule.put("tolerance", tolerance)
                    .put("probeInterval", Durations.format(probeInterval))
                    .put("queueSize", queueSize);
        }
    }

    /** A short account of the limit, as the rule list shows it: {@code aimd 1..200 in flight}. */
    public String describe() {
        return algorithm.id() + " " + minLimit + ".." + maxLimit + " in flight";
    }

    private static void check(String field, boolean ok, String expected, Object got) {
        if (!ok) {
            throw new SettingsException(field, field + " must be " + expected + ", got " + got);
        }
    }
}
