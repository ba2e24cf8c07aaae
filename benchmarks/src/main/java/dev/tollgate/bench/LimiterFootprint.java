package dev.tollgate.bench;

import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.LimiterRegistry;
import dev.tollgate.limiter.ManualClock;
import dev.tollgate.limiter.algorithms.LocalRateLimiter;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * Heap bytes per key of in-process limiter state: for each of the six algorithms of the {@code local}
 * backend, and for Bucket4j's local buckets kept in a {@link ConcurrentHashMap} by key, the way its
 * users hold one bucket per client. Each structure is filled with one request for each of
 * {@code keys} distinct keys shaped like client addresses ({@code ip:10.a.b.c}, made as the fill goes,
 * so that the keys count too), and measured as the heap used after full collections, before and
 * after the fill, while a reference keeps it alive. Every structure is measured {@code rounds} times
 * in turn, in one JVM; the median is reported.
 *
 * <p>Usage: {@code java -Xmx3g -XX:+UseParallelGC -cp benchmarks/target/benchmarks.jar
 * dev.tollgate.bench.LimiterFootprint [keys] [rounds]}. The parallel collector compacts the whole heap
 * on {@link System#gc()}, so the heap used afterwards is the live bytes.
 */
public final class LimiterFootprint {

    private static final Instant START = Instant.parse("2027-01-01T00:00:00Z");
    private static final List<String> ALGORITHMS = List.of(
            "fixed-window", "sliding-window-log", "sliding-window-counter", "token-bucket", "leaky-bucket", "gcra");
    private static final long LIMIT = 1_000;
    private static final long BURST = 2_000;
    private static final Duration WINDOW = Duration.ofSeconds(1);

    private LimiterFootprint() {}

    public static void main(String[] args) throws InterruptedException {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;

        Map<String, IntFunction<Object>> subjects = new LinkedHashMap<>();
        for (String algorithm : ALGORITHMS) {
            subjects.put(algorithm, n -> tollgate(algorithm, n));
        }
        subjects.put("Bucket4j, limit built per bucket", LimiterFootprint::bucket4j);
        subjects.put("Bucket4j, one shared Bandwidth", LimiterFootprint::bucket4jSharedBandwidth);

        System.out.printf(
                "%d keys, %d rounds, %s, max heap %d MiB, collectors %s%n",
                keys,
                rounds,
                Runtime.version(),
                Runtime.getRuntime().maxMemory() >> 20,
                ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(b -> b.getName())
                        .toList());
        for (IntFunction<Object> fill : subjects.values()) {
            Object warm = null;
            try {
                warm = fill.apply(10_000);
            } finally {
                Reference.reachabilityFence(warm);
            }
        }
        Map<String, List<Double>> measured = new LinkedHashMap<>();
        Map<String, Double> estimated = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (Map.Entry<String, IntFunction<Object>> subject : subjects.entrySet()) {
                long before = usedAfterFullGc();
                Object held = subject.getValue().apply(keys);
                double perKey;
                try {
                    long after = usedAfterFullGc();
                    perKey = (double) (after - before) / keys;
                    measured.computeIfAbsent(subject.getKey(), k -> new ArrayList<>())
                            .add(perKey);
                    if (held instanceof LocalRateLimiter limiter) {
                        estimated.put(subject.getKey(), (double) limiter.bytesHeld() / keys);
                    }
                } finally {
                    Reference.reachabilityFence(held);
                }
                System.out.printf(Locale.ROOT, "round %d  %-34s %8.1f bytes/key%n", round, subject.getKey(), perKey);
            }
        }

        double bucket4j = Math.min(
                median(measured.get("Bucket4j, limit built per bucket")),
                median(measured.get("Bucket4j, one shared Bandwidth")));
        System.out.println();
        System.out.println("| structure | bytes per key, median | rounds | / Bucket4j | estimate (`bytesHeld`) |");
        System.out.println("| --- | --- | --- | --- | --- |");
        for (Map.Entry<String, List<Double>> row : measured.entrySet()) {
            double median = median(row.getValue());
            Double estimate = estimated.get(row.getKey());
            List<String> perRound =
                    row.getValue().stream().map(LimiterFootprint::oneDecimal).toList();
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %.1f | %s | %.2f× | %s |%n",
                    row.getKey(),
                    median,
                    String.join(", ", perRound),
                    median / bucket4j,
                    estimate == null ? "" : oneDecimal(estimate));
        }
    }

    private static LocalRateLimiter tollgate(String algorithm, int keys) {
        LimitSpec spec = LimitSpec.of(algorithm, LIMIT, WINDOW).withBurst(BURST);
        // a clock standing still: no state is spent, and so dropped, while the table fills
        LimiterOptions options =
                LimiterOptions.defaults().withClock(ManualClock.at(START)).withMaxKeys(keys);
        LocalRateLimiter limiter =
                (LocalRateLimiter) LimiterRegistry.fromServiceLoader().create(spec, "local", options);
        for (int i = 0; i < keys; i++) {
            limiter.tryAcquire(key(i), 1);
        }
        if (limiter.trackedKeys() != keys) {
            throw new IllegalStateException(algorithm + " holds " + limiter.trackedKeys() + " keys, not " + keys);
        }
        return limiter;
    }

    private static ConcurrentHashMap<String, Bucket> bucket4j(int keys) {
        ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
        for (int i = 0; i < keys; i++) {
            buckets.computeIfAbsent(
                            key(i),
                            k -> Bucket.builder()
                                    .addLimit(limit -> limit.capacity(BURST).refillGreedy(LIMIT, WINDOW))
                                    .build())
                    .tryConsume(1);
        }
        return buckets;
    }

    private static ConcurrentHashMap<String, Bucket> bucket4jSharedBandwidth(int keys) {
        Bandwidth bandwidth =
                Bandwidth.builder().capacity(BURST).refillGreedy(LIMIT, WINDOW).build();
        ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
        for (int i = 0; i < keys; i++) {
            buckets.computeIfAbsent(
                            key(i), k -> Bucket.builder().addLimit(bandwidth).build())
                    .tryConsume(1);
        }
        return buckets;
    }

    /** {@code ip:10.a.b.c}, a new string each time, as a request's key is. */
    private static String key(int i) {
        return "ip:10." + ((i >>> 16) & 0xFF) + "." + ((i >>> 8) & 0xFF) + "." + (i & 0xFF);
    }

    private static long usedAfterFullGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }

    private static String oneDecimal(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static double median(List<Double> values) {
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
