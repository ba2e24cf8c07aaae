package dev.tollgate.bench;

import dev.tollgate.core.Rule;
import dev.tollgate.core.Tollgate;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.proxy.handler.ProxyHandler;
import io.vertx.httpproxy.HttpProxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The latency of admitted requests when an upstream is driven past its capacity, with and without an adaptive rule in
 * front of it. Three Vert.x instances in one JVM, each with event loops of its own, talk over the loopback:
 *
 * <ul>
 *   <li><b>upstream</b> — answers every request after 5 ms plus 1 ms per request it has in flight (this one
 *       included), on a timer: the more it is asked at once, the slower it gets, as a service whose threads, CPU or
 *       database queue fill up;</li>
 *   <li><b>gateway</b> — what {@code tollgate serve} runs per event loop, two of them: Tollgate's
 *       {@code gatewayHandler} then a {@code ProxyHandler} to the upstream over at most 64 connections each, with one
 *       rule covering every path, or none;</li>
 *   <li><b>load</b> — a closed loop of {@code concurrency} clients on kept-alive connections: each sends a request
 *       as soon as its last one came back, or, when that was refused, {@code backoff} ms later.</li>
 * </ul>
 *
 * Phases, one after another: unloaded (one client, no rule), then {@code concurrency} clients with no rule, a quarter
 * as many with no rule, an {@code aimd} rule and a {@code gradient} rule. Each phase's first 3 s are a warm-up and
 * not counted (1 s for the unloaded one). The latency is the client's, from sending to the last byte.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.tollgate.bench.AdaptiveLimitLatency [seconds]
 * [concurrency] [latencyThresholdMs] [backoffMs]}
 */
public final class AdaptiveLimitLatency {

    private static final long BASE_MS = 5;
    private static final long PER_REQUEST_MS = 1;
    private static final Buffer BODY = Buffer.buffer("{\"message\":\"hello from the upstream\"}");
    private static final long WARM_UP_NANOS = TimeUnit.SECONDS.toNanos(3);

    private final AtomicInteger upstreamInFlight = new AtomicInteger();
    private volatile int upstreamPeak;

    private AdaptiveLimitLatency() {}

    /** What one phase saw. */
    private static final class Result {
        private final String phase;
        private final int clients;
        private final double seconds;
        /** The latencies of the admitted requests, in nanoseconds, sorted. */
        private final long[] admitted;

        private final long refused;
        private final int peak;
        private final String limit;

        Result(String phase, int clients, double seconds, long[] admitted, long refused, int peak, String limit) {
            this.phase = phase;
            this.clients = clients;
            this.seconds = seconds;
            this.admitted = admitted.clone();
            this.refused = refused;
            this.peak = peak;
            this.limit = limit;
        }

        String phase() {
            return phase;
        }

        int clients() {
            return clients;
        }

        double seconds() {
            return seconds;
        }

        int admittedCount() {
            return admitted.length;
        }

        long refused() {
            return refused;
        }

        int peak() {
            return peak;
        }

        String limit() {
            return limit;
        }

        long percentile(double p) {
            if (admitted.length == 0) {
                return 0;
            }
            int index = (int) Math.ceil(p * admitted.length) - 1;
            return admitted[Math.max(0, Math.min(admitted.length - 1, index))];
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        long thresholdMs = args.length > 2 ? Long.parseLong(args[2]) : 12;
        long backoffMs = args.length > 3 ? Long.parseLong(args[3]) : 50;
        new AdaptiveLimitLatency().run(seconds, concurrency, thresholdMs, backoffMs);
        System.exit(0);
    }

    private void run(int seconds, int concurrency, long thresholdMs, long backoffMs) throws Exception {
        Vertx upstreamVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        int upstreamPort = upstreamVertx
                .createHttpServer()
                .requestHandler(request -> {
                    int inFlight = upstreamInFlight.incrementAndGet();
                    if (inFlight > upstreamPeak) {
                        upstreamPeak = inFlight;
                    }
                    upstreamVertx.setTimer(BASE_MS + PER_REQUEST_MS * inFlight, t -> {
                        upstreamInFlight.decrementAndGet();
                        request.response()
                                .putHeader("Content-Type", "application/json")
                                .end(BODY);
                    });
                })
                .listen(0, "127.0.0.1")
                .await()
                .actualPort();

        Vertx gatewayVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        Tollgate tollgate = Tollgate.builder().vertx(gatewayVertx).build();
        tollgate.deployServices().await();
        int gatewayPort;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            gatewayPort = free.getLocalPort();
        }
        gatewayVertx
                .deployVerticle(
                        () -> new Gateway(tollgate, gatewayPort, upstreamPort), new DeploymentOptions().setInstances(2))
                .await();

        Vertx loadVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        HttpClient client = loadVertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(concurrency));

        System.out.printf(
                Locale.ROOT,
                "upstream: %d ms + %d ms per request in flight; %d s per phase (3 s of it warm-up), %d clients,"
                        + " aimd latencyThreshold %d ms, a refused client back %d ms later%n",
                BASE_MS,
                PER_REQUEST_MS,
                seconds,
                concurrency,
                thresholdMs,
                backoffMs);
        List<Result> results = new ArrayList<>();
        results.add(phase(
                "unloaded", loadVertx, client, gatewayPort, 1, 6, TimeUnit.SECONDS.toNanos(1), backoffMs, tollgate));
        Result unloaded = results.get(0);
        results.add(phase(
                "no rule",
                loadVertx,
                client,
                gatewayPort,
                concurrency / 4,
                seconds,
                WARM_UP_NANOS,
                backoffMs,
                tollgate));
        results.add(phase(
                "no rule", loadVertx, client, gatewayPort, concurrency, seconds, WARM_UP_NANOS, backoffMs, tollgate));
        tollgate.updateRules(List.of(Rule.fromJson(new JsonObject()
                .put("name", "upstream")
                .put("kind", "adaptive")
                .put("algorithm", "aimd")
                .put("latencyThreshold", thresholdMs + "ms"))));
        results.add(phase(
                "aimd", loadVertx, client, gatewayPort, concurrency, seconds, WARM_UP_NANOS, backoffMs, tollgate));
        tollgate.updateRules(List.of(Rule.fromJson(
                new JsonObject().put("name", "upstream").put("kind", "adaptive").put("algorithm", "gradient"))));
        results.add(phase(
                "gradient", loadVertx, client, gatewayPort, concurrency, seconds, WARM_UP_NANOS, backoffMs, tollgate));

        System.out.println();
        System.out.println(
                "| phase | clients | admitted/s | refused/s | p50 | p99 | p99 ÷ unloaded p99 | upstream peak in"
                        + " flight | limit at the end |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        double unloadedP99 = unloaded.percentile(0.99);
        for (Result r : results) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %d | %,.0f | %,.0f | %.1f ms | %.1f ms | %.2f× | %d | %s |%n",
                    r.phase(),
                    r.clients(),
                    r.admittedCount() / r.seconds(),
                    r.refused() / r.seconds(),
                    r.percentile(0.50) / 1e6,
                    r.percentile(0.99) / 1e6,
                    r.percentile(0.99) / unloadedP99,
                    r.peak(),
                    r.limit());
        }
        System.out.println();
        for (Result r : results.subList(3, results.size())) {
            double ratio = r.percentile(0.99) / unloadedP99;
            System.out.printf(
                    Locale.ROOT,
                    "%s: p99 of admitted requests %.2f× the unloaded p99 (target ≤ 2×): %s%n",
                    r.phase(),
                    ratio,
                    ratio <= 2 ? "met" : "NOT met");
        }
    }

    /** One gateway event loop: Tollgate's handler, then the proxy, as {@code serve} mounts them. */
    private static final class Gateway extends VerticleBase {
        private final Tollgate tollgate;
        private final int port;
        private final int upstreamPort;

        Gateway(Tollgate tollgate, int port, int upstreamPort) {
            this.tollgate = tollgate;
            this.port = port;
            this.upstreamPort = upstreamPort;
        }

        @Override
        public Future<?> start() {
            HttpProxy proxy = HttpProxy.reverseProxy(
                            vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(64)))
                    .origin(upstreamPort, "127.0.0.1");
            Router router = Router.router(vertx);
            router.route().handler(tollgate.gatewayHandler());
            router.route().handler(ProxyHandler.create(proxy));
            return vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1");
        }
    }

    /** A closed loop of {@code clients} for {@code seconds}, counting what ends after the warm-up. */
    private Result phase(
            String name,
            Vertx load,
            HttpClient client,
            int port,
            int clients,
            int seconds,
            long warmUpNanos,
            long backoffMs,
            Tollgate tollgate)
            throws InterruptedException {
        long start = System.nanoTime();
        long countFrom = start + warmUpNanos;
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        List<Long> admitted = new ArrayList<>();
        long[] refused = new long[1];
        AtomicInteger running = new AtomicInteger(clients);
        Loop[] loops = new Loop[clients];
        for (int i = 0; i < clients; i++) {
            loops[i] = new Loop(load, client, port, end, countFrom, backoffMs, admitted, refused, running);
        }
        upstreamPeak = 0;
        for (Loop l : loops) {
            l.next();
        }
        while (running.get() > 0) {
            Thread.sleep(20);
        }
        long[] sorted;
        long refusedCount;
        synchronized (admitted) {
            sorted = admitted.stream().mapToLong(Long::longValue).toArray();
            refusedCount = refused[0];
        }
        Arrays.sort(sorted);
        double counted = (end - countFrom) / 1e9;
        String limit = tollgate.adaptiveLimit("upstream").isPresent()
                ? Integer.toString(tollgate.adaptiveLimit("upstream").getAsInt())
                : "—";
        Result result = new Result(name, clients, counted, sorted, refusedCount, upstreamPeak, limit);
        System.out.printf(
                Locale.ROOT,
                "%-9s %4d clients: %,d admitted, %,d refused, p50 %.1f ms, p99 %.1f ms, upstream peak %d, limit %s%n",
                name,
                clients,
                sorted.length,
                refusedCount,
                result.percentile(0.5) / 1e6,
                result.percentile(0.99) / 1e6,
                upstreamPeak,
                limit);
        return result;
    }

    /** One client: a request, and another as soon as it comes back (or {@code backoff} after a refusal). */
    private static final class Loop {
        private final Vertx vertx;
        private final HttpClient client;
        private final int port;
        private final long end;
        private final long countFrom;
        private final long backoffMs;
        private final List<Long> admitted;
        private final long[] refused;
        private final AtomicInteger running;

        Loop(
                Vertx vertx,
                HttpClient client,
                int port,
                long end,
                long countFrom,
                long backoffMs,
                List<Long> admitted,
                long[] refused,
                AtomicInteger running) {
            this.vertx = vertx;
            this.client = client;
            this.port = port;
            this.end = end;
            this.countFrom = countFrom;
            this.backoffMs = backoffMs;
            this.admitted = admitted;
            this.refused = refused;
            this.running = running;
        }

        void next() {
            long sent = System.nanoTime();
            if (sent >= end) {
                running.decrementAndGet();
                return;
            }
            client.request(HttpMethod.GET, port, "127.0.0.1", "/work")
                    .compose(request ->
                            request.send().compose(response -> response.body().map(body -> response.statusCode())))
                    .onComplete(answered -> {
                        long now = System.nanoTime();
                        boolean ok = answered.succeeded() && answered.result() == 200;
                        if (sent >= countFrom && now <= end) {
                            synchronized (admitted) {
                                if (ok) {
                                    admitted.add(now - sent);
                                } else {
                                    refused[0]++;
                                }
                            }
                        }
                        if (ok) {
                            next();
                        } else {
                            vertx.setTimer(backoffMs, t -> next());
                        }
                    });
        }
    }
}
