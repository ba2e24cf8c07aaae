package dev.tollgate.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Meters of one name for a short, fixed list of tag values, each registered the first time its value occurs (as
 * Micrometer's builders would) and found by its index after that: a request then costs an array read, not a look-up
 * of a meter by its tags.
 */
final class MetersByIndex<M> {

    /** The standard HTTP methods, and {@code OTHER} for any other (the {@code method} tag's values). */
    static final List<String> METHODS =
            List.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "OTHER");

    /** The {@code code} tag's values: the status class, or {@code other} for a code outside 100–599. */
    static final List<String> STATUS_CLASSES = List.of("1xx", "2xx", "3xx", "4xx", "5xx", "other");

    private final AtomicReferenceArray<M> meters;
    private final IntFunction<M> register;

    MetersByIndex(int size, IntFunction<M> register) {
        this.meters = new AtomicReferenceArray<>(size);
        this.register = register;
    }

    /** Meters by method ({@link #method}), registered by {@code register} given the method's tags. */
    static <M> MetersByIndex<M> byMethod(Function<Tags, M> register) {
        return new MetersByIndex<>(METHODS.size(), i -> register.apply(Tags.of("method", METHODS.get(i))));
    }

    /** Meters by method and status class ({@link #methodAndStatus}), registered given the two tags. */
    static <M> MetersByIndex<M> byMethodAndStatus(Function<Tags, M> register) {
        return new MetersByIndex<>(
                METHODS.size() * STATUS_CLASSES.size(),
                i -> register.apply(Tags.of(
                        "method",
                        METHODS.get(i / STATUS_CLASSES.size()),
                        "code",
                        STATUS_CLASSES.get(i % STATUS_CLASSES.size()))));
    }

    /** A gauge of a {@link LongAdder} the caller keeps counting in: requests or connections open now. */
    static LongAdder gauge(MeterRegistry registry, String name, String description, Tags tags) {
        return gauge(registry, name, description).apply(tags);
    }

    /** Registers, given its tags, a gauge of a {@link LongAdder} the caller keeps counting in. */
    static Function<Tags, LongAdder> gauge(MeterRegistry registry, String name, String description) {
        return tags -> {
            LongAdder value = new LongAdder();
            Gauge.builder(name, value, LongAdder::doubleValue)
                    .description(description)
                    .tags(tags)
                    .strongReference(true)
                    .register(registry);
            return value;
        };
    }

    /** Registers, given its tags, a counter. */
    static Function<Tags, Counter> counter(MeterRegistry registry, String name, String description) {
        return tags -> Counter.builder(name).description(description).tags(tags).register(registry);
    }

    /** Registers, given its tags, a summary of sizes. */
    static Function<Tags, DistributionSummary> summary(MeterRegistry registry, String name, String description) {
        return tags -> DistributionSummary.builder(name)
                .description(description)
                .tags(tags)
                .register(registry);
    }

    /** Registers, given its tags, a timer (its buckets are the registry's filters' to set). */
    static Function<Tags, Timer> timer(MeterRegistry registry, String name, String description) {
        return tags -> Timer.builder(name).description(description).tags(tags).register(registry);
    }

    M get(int index) {
        M meter = meters.get(index);
        if (meter == null) {
            // once per value: registering twice would leave a gauge reading an adder nobody counts in
            synchronized (this) {
                meter = meters.get(index);
                if (meter == null) {
                    meter = register.apply(index);
                    meters.set(index, meter);
                }
            }
        }
        return meter;
    }

    /** The index of {@code method} (its name) in {@link #METHODS}. */
    static int method(String method) {
        return switch (method) {
            case "GET" -> 0;
            case "HEAD" -> 1;
            case "POST" -> 2;
            case "PUT" -> 3;
            case "DELETE" -> 4;
            case "CONNECT" -> 5;
            case "OPTIONS" -> 6;
            case "TRACE" -> 7;
            case "PATCH" -> 8;
            default -> 9;
        };
    }

    /** The index in {@link #byMethodAndStatus} of a method's index and a status code. */
    static int methodAndStatus(int method, int status) {
        int statusClass = status >= 100 && status <= 599 ? status / 100 - 1 : STATUS_CLASSES.size() - 1;
        return method * STATUS_CLASSES.size() + statusClass;
    }
}
