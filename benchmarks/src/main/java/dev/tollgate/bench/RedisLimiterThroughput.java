package dev.tollgate.bench;

import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.LimiterRegistry;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.plugin.Settings;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.ToDoubleFunction;

/**
 * Decisions per second and latency of the {@code redis} limiter backend (token bucket, 10,000 keys)
 * next to a plain {@code INCR} round trip over the same 10,000 keys through the same
 * vertx-redis-client with the same pool size, and next to Bucket4j's Redis backend (its Lettuce
 * proxy manager, async API, a token bucket of the same limit and refill on its own 10,000 keys), in
 * the same run. The limiter runs twice: with decisions batched ({@code limiter.redis.batch: 64}, the
 * default) and unbatched ({@code batch: 1}, one {@code EVALSHA} per decision), and a third time in the
 * {@code leased} mode (leases of 1 s and the default share, spent locally). Each measurement keeps a
 * fixed number of requests in flight (a closed loop: every answer sends the next request); the rounds
 * take the contenders in turn so that all see the same machine, and the median of each figure over the
 * rounds is reported. Beside each figure: the Redis server's CPU time per request, read from
 * {@code INFO cpu} around the measurement.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.tollgate.bench.RedisLimiterThroughput
 * [url] [seconds] [rounds] [algorithm] [in flight]}, where {@code in flight} lists the counts to measure
 * (default {@code 64,1}); Bucket4j runs with the token bucket only. It writes only keys under a prefix of its own
 * and deletes them at the end.
 */
public final class RedisLimiterThroughput {

    private static final int KEYS = 10_000;
    private static final int POOL_SIZE = 8;
    private static final String IN_FLIGHT = "64,1";
    /** The most requests kept in flight, and so the most that wait for a connection of the plain client's pool. */
    private static final int MAX_IN_FLIGHT = 4_096;

    private static final long LIMIT = 1_000;
    private static final long BURST = 2_000;
    /**
     * The leased mode's lease time: a key fetches a lease about once per lease time, so 10,000 keys cost Redis
     * 10,000 calls a second at most, whatever the rate.
     */
    private static final String LEASE_TIME = "1s";

    private RedisLimiterThroughput() {}

    /** What one measurement saw; {@code redisMicros} is the Redis server's CPU time per request. */
    record Result(double perSecond, double p50Millis, double p99Millis, double redisMicros) {}

    /** One of the things measured: its name and what one request is, given a key's index. */
    record Contender(String name, IntFunction<Future<?>> operation) {}

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "redis://127.0.0.1:6379";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String algorithm = args.length > 3 ? args[3] : "token-bucket";
        int[] inFlights = inFlights(args.length > 4 ? args[4] : IN_FLIGHT);
        String prefix = "tollgate-bench-" + UUID.randomUUID().toString().substring(0, 8);
        Vertx vertx = Vertx.vertx();
        Redis plain = Redis.createClient(
                vertx,
                new RedisOptions()
                        .setConnectionString(url)
                        .setMaxPoolSize(POOL_SIZE)
                        .setMaxPoolWaiting(MAX_IN_FLIGHT));
        LimitSpec spec = LimitSpec.of(algorithm, LIMIT, Duration.ofSeconds(1)).withBurst(BURST);
        RateLimiter batched = limiter(vertx, spec, url, prefix, 64);
        RateLimiter unbatched = limiter(vertx, spec, url, prefix, 1);
        RateLimiter leased = limiter(vertx, spec, url, prefix, 64, "leased");
        RedisClient lettuce = RedisClient.create(url);
        StatefulRedisConnection<byte[], byte[]> connection = lettuce.connect(ByteArrayCodec.INSTANCE);
        String[] clients = new String[KEYS];
        String[] counters = new String[KEYS];
        AsyncBucketProxy[] buckets = new AsyncBucketProxy[KEYS];
        AsyncProxyManager<byte[]> bucket4j = Bucket4jLettuce.casBasedBuilder(connection)
                .expirationAfterWrite(
                        ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(1)))
                .build()
                .asAsync();
        BucketConfiguration bucket = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(BURST).refillGreedy(LIMIT, Duration.ofSeconds(1)))
                .build();
        for (int i = 0; i < KEYS; i++) {
            clients[i] = "ip:10.0." + (i / 256) + "." + (i % 256);
            counters[i] = prefix + ":incr:" + i;
            buckets[i] = bucket4j.builder()
                    .build(
                            (prefix + ":bucket4j:" + clients[i]).getBytes(StandardCharsets.UTF_8),
                            () -> CompletableFuture.completedFuture(bucket));
        }
        List<Contender> contenders = new ArrayList<>();
        contenders.add(
                new Contender("INCR", i -> plain.send(Request.cmd(Command.INCR).arg(counters[i]))));
        contenders.add(new Contender("limiter", i -> batched.acquire(clients[i])));
        contenders.add(new Contender("limiter, batch 1", i -> unbatched.acquire(clients[i])));
        contenders.add(new Contender("limiter, leased", i -> leased.acquire(clients[i])));
        if (algorithm.equals("token-bucket")) {
            contenders.add(new Contender("Bucket4j", i -> Future.fromCompletionStage(buckets[i].tryConsume(1))));
        }
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
            // warm up the JIT, the pools and the keys of every contender
            for (Contender contender : contenders) {
                measure(contender.operation(), 64, Duration.ofSeconds(Math.max(2, seconds / 2)), plain);
            }
            for (int inFlight : inFlights) {
                List<List<Result>> results = new ArrayList<>();
                contenders.forEach(contender -> results.add(new ArrayList<>()));
                for (int round = 1; round <= rounds; round++) {
                    StringBuilder line =
                            new StringBuilder(String.format(Locale.ROOT, "in flight %2d, round %d:", inFlight, round));
                    for (int c = 0; c < contenders.size(); c++) {
                        Result result =
                                measure(contenders.get(c).operation(), inFlight, Duration.ofSeconds(seconds), plain);
                        results.get(c).add(result);
                        line.append(String.format(
                                Locale.ROOT,
                                " | %s %,.0f/s p99 %.3f ms",
                                contenders.get(c).name(),
                                result.perSecond(),
                                result.p99Millis()));
                    }
                    System.out.println(line);
                }
                Result incr = median(results.get(0));
                for (int c = 0; c < contenders.size(); c++) {
                    Result result = median(results.get(c));
                    System.out.printf(
                            Locale.ROOT,
                            "in flight %2d, median: %-16s %,9.0f/s  p50 %.3f ms  p99 %.3f ms  Redis %5.1f µs"
                                    + "  | × INCR: %.2f, p99 %.2f%n",
                            inFlight,
                            contenders.get(c).name(),
                            result.perSecond(),
                            result.p50Millis(),
                            result.p99Millis(),
                            result.redisMicros(),
                            result.perSecond() / incr.perSecond(),
                            result.p99Millis() / incr.p99Millis());
                }
                int peer = contenders.size() - 1;
                if (contenders.get(peer).name().equals("Bucket4j")) {
                    System.out.printf(
                            Locale.ROOT,
                            "in flight %2d, median: limiter × Bucket4j: %.2f%n",
                            inFlight,
                            median(results.get(1)).perSecond()
                                    / median(results.get(peer)).perSecond());
                }
            }
        } finally {
            System.out.printf("deleted %,d benchmark keys%n", deleteAll(plain, prefix));
            connection.close();
            lettuce.shutdown();
            await(batched.close());
            await(unbatched.close());
            await(leased.close());
            await(plain.close());
            await(vertx.close());
        }
    }

    /** The in-flight counts of a comma-separated list such as {@code 64,1}, each a whole number from 1 to 4096. */
    static int[] inFlights(String list) {
        try {
            int[] counts = Arrays.stream(list.split(",", -1))
                    .mapToInt(Integer::parseInt)
                    .toArray();
            if (Arrays.stream(counts).allMatch(count -> count >= 1 && count <= MAX_IN_FLIGHT)) {
                return counts;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("the in-flight counts must be whole numbers from 1 to " + MAX_IN_FLIGHT
                + " separated by commas, such as 64,1; got '" + list + "'");
    }

    private static RateLimiter limiter(Vertx vertx, LimitSpec spec, String url, String prefix, int batch) {
        return limiter(vertx, spec, url, prefix, batch, "exact");
    }

    private static RateLimiter limiter(Vertx vertx, LimitSpec spec, String url, String prefix, int batch, String mode) {
        return LimiterRegistry.fromServiceLoader()
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
                                                .put("poolSize", POOL_SIZE)
                                                .put("batch", batch)
                                                .put("mode", mode)
                                                .put(
                                                        "lease",
                                                        mode.equals("leased")
                                                                ? new JsonObject().put("time", LEASE_TIME)
                                                                : new JsonObject()))));
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
                    // answers given at once (the leased mode's) go round this loop, not deeper into the stack
                    while (next()) {}
                }

                /** Sends one request; whether its answer came at once and the next is to be sent here. */
                private boolean next() {
                    long sent = System.nanoTime();
                    int key = (int) (sequence.getAndIncrement() * 7919L % KEYS);
                    Future<?> answered;
                    try {
                        answered = operation.apply(key);
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                        done.countDown();
                        return false;
                    }
                    boolean atOnce = answered.isComplete();
                    answered.onComplete(answer -> {
                        long now = System.nanoTime();
                        int slot = recorded.getAndIncrement();
                        if (slot < latencies.length) {
                            latencies[slot] = now - sent;
                        }
                        if (answer.failed()) {
                            failure.compareAndSet(null, answer.cause());
                            done.countDown();
                        } else if (!atOnce) {
                            if (now < until) {
                                run();
                            } else {
                                done.countDown();
                            }
                        }
                    });
                    if (!atOnce || answered.failed()) {
                        return false;
                    }
                    if (System.nanoTime() < until) {
                        return true;
                    }
                    done.countDown();
                    return false;
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

    /** The median of each figure over the rounds, each taken on its own. */
    private static Result median(List<Result> results) {
        return new Result(
                median(results, Result::perSecond),
                median(results, Result::p50Millis),
                median(results, Result::p99Millis),
                median(results, Result::redisMicros));
    }

    private static double median(List<Result> results, ToDoubleFunction<Result> figure) {
        double[] sorted = results.stream().mapToDouble(figure).sorted().toArray();
        return sorted[sorted.length / 2];
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
