package dev.tollgate.bench;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.LimiterRegistry;
import dev.tollgate.limiter.algorithms.LocalRateLimiter;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Token-bucket decisions over many keys: Tollgate's local limiter against Bucket4j's local buckets
 * held in a {@link ConcurrentHashMap}, the usual way to key them. Both look the key up, refill from
 * the system clock and answer with the remaining tokens and the wait ({@link Decision} and
 * {@link ConsumptionProbe}). The rate lets most requests through and denies some, as a limiter in
 * front of real traffic does.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class TokenBucketBenchmark {

    @Param("10000")
    int keys;

    private String[] names;
    private LocalRateLimiter tollgate;
    private ConcurrentHashMap<String, Bucket> bucket4j;

    @Setup
    public void setUp() {
        names = new String[keys];
        for (int i = 0; i < keys; i++) {
            names[i] = "ip:10.0." + (i / 256) + "." + (i % 256);
        }
        LimitSpec spec =
                LimitSpec.of("token-bucket", 1_000, Duration.ofSeconds(1)).withBurst(2_000);
        tollgate =
                (LocalRateLimiter) LimiterRegistry.fromServiceLoader().create(spec, "local", LimiterOptions.defaults());
        bucket4j = new ConcurrentHashMap<>();
        for (String name : names) {
            tollgate.tryAcquire(name, 1);
            bucket4j.put(
                    name,
                    Bucket.builder()
                            .addLimit(limit -> limit.capacity(2_000).refillGreedy(1_000, Duration.ofSeconds(1)))
                            .build());
        }
    }

    /** Each thread walks the keys from its own starting point. */
    @State(Scope.Thread)
    public static class Cursor {
        private int next;

        @Setup
        public void setUp() {
            next = (int) (Thread.currentThread().getId() * 7919);
        }

        int nextIndex(int keys) {
            next = next + 1 == Integer.MAX_VALUE ? 0 : next + 1;
            return next % keys;
        }
    }

    @Benchmark
    public Decision tollgate(Cursor cursor) {
        return tollgate.tryAcquire(names[cursor.nextIndex(keys)], 1);
    }

    @Benchmark
    public ConsumptionProbe bucket4j(Cursor cursor) {
        return bucket4j.get(names[cursor.nextIndex(keys)]).tryConsumeAndReturnRemaining(1);
    }
}
