package dev.tollgate.bench;

import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.LimiterRegistry;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.plugin.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Decisions per second and latency of the {@code redis} limiter backend (token bucket, 10,000 keys)
 * next to a plain {@code INCR} round trip over the same 10,000 keys, through the same
 * vertx-redis-client with the same pool size, in the same run. Each measurement keeps a fixed number
 * of requests in flight (a closed loop: every answer sends the next request); the rounds alternate
 * INCR and the limiter so that both see the same machine, and the median round is reported. Beside
 * each figure: the Redis server's CPU time per request, read from {@code INFO cpu} around the measurement.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.tollgate.bench.RedisLimiterThroughput
 * [url] [seconds] [rounds]}. It writes only keys under a prefix of its own and deletes them at the end.
 */
public final class RedisLimiterThroughput {

    private static final int KEYS = 10_000;
    private static final int POOL_SIZE = 8;
    private static final int[] IN_FLIGHT = {1, 64};

    private RedisLimiterThroughput() {}

    /** What one measurement saw; {@code redisMicros} is the Redis server's CPU time per request. */
    record Result(double perSecond, double p50Millis, double p99Millis, double redisMicros) {}

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "redis://127.0.0.1:6379";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String prefix = "tollgate-bench-" + UUID.randomUUID().toString().substring(0, 8);
        Vertx vertx = Vertx.vertx();
        Redis plain = Redis.createClient(
                vertx,
                new RedisOptions()
                        .setConnectionString(url)
                        .setMaxPoolSize(POOL_SIZE)
                        .setMaxPoolWaiting(4096));
        String algorithm = args.length > 3 ? args[3] : "token-bucket";
        LimitSpec spec = LimitSpec.of(algorithm, 1_000, Duration.ofSeconds(1)).withBurst(2_000);
        RateLimiter limiter = LimiterRegistry.fromServiceLoader()
                .create(
                        spec,
                        "redis",
                        LimiterOptions.defaults()
                                .withVertx(vertx)
                                .withSettings(Settings.of(
                                        "limiter.redis",
                                        new JsonObject()
                                                .put("url", url)
                                                .put("keyPrefix", prefix)
                                                .put("poolSize", POOL_SIZE))));
        String[] clients = new String[KEYS];
        String[] counters = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            clients[i] = "ip:10.0." + (i / 256) + "." + (i % 256);
            counters[i] = prefix + ":incr:" + i;
        }
        IntFunction<Future<?>> incr = i -> plain.send(Request.cmd(Command.INCR).arg(counters[i]));
        IntFunction<Future<?>> decide = i -> limiter.acquire(clients[i]);
        System.out.printf(
                Locale.ROOT,
                "%s, %s, %,d keys, pool %d, %d s per measurement, %d rounds%n",
                url,
                spec,
                KEYS,
                POOL_SIZE,
                seconds,
                rounds);
        try {
            // warm up the JIT, the pools and the keys on both sides
            measure(incr, 64, Duration.ofSeconds(Math.max(2, seconds / 2)), plain);
            measure(decide, 64, Duration.ofSeconds(Math.max(2, seconds / 2)), plain);
            for (int inFlight : IN_FLIGHT) {
                List<Result> incrs = new ArrayList<>();
                List<Result> decisions = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    Result i = measure(incr, inFlight, Duration.ofSeconds(seconds), plain);
                    Result d = measure(decide, inFlight, Duration.ofSeconds(seconds), plain);
                    incrs.add(i);
                    decisions.add(d);
                    System.out.printf(
                            Locale.ROOT,
                            "in flight %2d, round %d: INCR %,8.0f/s p50 %.3f ms p99 %.3f ms"
                                    + " Redis %.1f µs | limiter %,8.0f/s p50 %.3f ms p99 %.3f ms Redis %.1f µs | ratio %.2f%n",
                            inFlight,
                            round,
                            i.perSecond(),
                            i.p50Millis(),
                            i.p99Millis(),
                            i.redisMicros(),
                            d.perSecond(),
                            d.p50Millis(),
                            d.p99Millis(),
                            d.redisMicros(),
                            d.perSecond() / i.perSecond());
                }
                Result i = median(incrs);
                Result d = median(decisions);
                System.out.printf(
                        Locale.ROOT,
                        "in flight %2d, median: INCR %,.0f/s (p99 %.3f ms, Redis %.1f µs),"
                                + " limiter %,.0f/s (p99 %.3f ms, Redis %.1f µs), ratio %.2f%n",
                        inFlight,
                        i.perSecond(),
                        i.p99Millis(),
                        i.redisMicros(),
                        d.perSecond(),
                        d.p99Millis(),
                        d.redisMicros(),
                        d.perSecond() / i.perSecond());
            }
        } finally {
            System.out.printf("deleted %,d benchmark keys%n", deleteAll(plain, prefix));
            await(limiter.close());
            await(plain.close());
            await(vertx.close());
        }
    }

    /**
     * Keeps {@code inFlight} requests going for {@code duration}, each on the key index that
     * {@code operation} is given, stepping through the keys in a scattered order; latency is from
     * sending to the answer.
     */
    static Result measure(IntFunction<Future<?>> operation, int inFlight, Duration duration, Redis redis)
            throws InterruptedException {
        double cpuBefore = redisCpuSeconds(redis);
        long started = System.nanoTime();
        long until = started + duration.toNanos();
        long[] latencies = new long[(int) Math.min(50_000_000L, duration.toSeconds() * 1_000_000L + 1_000)];
        AtomicInteger recorded = new AtomicInteger();
        AtomicLong sequence = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(inFlight);
        for (int i = 0; i < inFlight; i++) {
            new Runnable() {
                @Override
                public void run() {
                    long sent = System.nanoTime();
                    int key = (int) (sequence.getAndIncrement() * 7919L % KEYS);
                    Future<?> answered;
                    try {
                        answered = operation.apply(key);
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                        done.countDown();
                        return;
                    }
                    answered.onComplete(answer -> {
                        long now = System.nanoTime();
                        int slot = recorded.getAndIncrement();
                        if (slot < latencies.length) {
                            latencies[slot] = now - sent;
                        }
                        if (answer.failed()) {
                            failure.compareAndSet(null, answer.cause());
                            done.countDown();
                        } else if (now < until) {
                            run();
                        } else {
                            done.countDown();
                        }
                    });
                }
            }.run();
        }
        if (!done.await(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("requests still in flight a minute after the end");
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpu = redisCpuSeconds(redis) - cpuBefore;
        if (failure.get() != null) {
            throw new IllegalStateException("a request failed", failure.get());
        }
        int count = Math.min(recorded.get(), latencies.length);
        long[] sorted = Arrays.copyOf(latencies, count);
        Arrays.sort(sorted);
        return new Result(
                recorded.get() / seconds,
                sorted[count / 2] / 1e6,
                sorted[(int) (count * 0.99)] / 1e6,
                cpu * 1e6 / recorded.get());
    }

    /** The CPU time the server's main thread has used, from {@code INFO cpu}. */
    private static double redisCpuSeconds(Redis redis) {
        String info = await(redis.send(Request.cmd(Command.INFO).arg("cpu"))).toString();
        double main = 0;
        double all = 0;
        for (String line : info.split("\r?\n", -1)) {
            String[] field = line.split(":", -1);
            if (field.length != 2) {
                continue;
            }
            switch (field[0]) {
                case "used_cpu_sys_main_thread", "used_cpu_user_main_thread" ->
                    main += Double.parseDouble(field[1].trim());
                case "used_cpu_sys", "used_cpu_user" -> all += Double.parseDouble(field[1].trim());
                default -> {}
            }
        }
        return main > 0 ? main : all;
    }

    private static Result median(List<Result> results) {
        List<Result> sorted = new ArrayList<>(results);
        sorted.sort((a, b) -> Double.compare(a.perSecond(), b.perSecond()));
        return sorted.get(sorted.size() / 2);
    }

    private static int deleteAll(Redis redis, String prefix) {
        int deleted = 0;
        String cursor = "0";
        do {
            Response page = await(redis.send(Request.cmd(Command.SCAN)
                    .arg(cursor)
                    .arg("MATCH")
                    .arg(prefix + ":*")
                    .arg("COUNT")
                    .arg(1000)));
            cursor = page.get(0).toString();
            if (page.get(1).size() > 0) {
                Request del = Request.cmd(Command.DEL);
                for (Response key : page.get(1)) {
                    del.arg(key.toString());
                }
                deleted += await(redis.send(del)).toInteger();
            }
        } while (!"0".equals(cursor));
        return deleted;
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
