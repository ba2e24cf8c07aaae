package dev.tollgate.bench;

import dev.tollgate.core.Addresses;
import dev.tollgate.core.Rule;
import dev.tollgate.core.Tollgate;
import dev.tollgate.decision.DecisionOptions;
import dev.tollgate.decision.DecisionService;
import dev.tollgate.decision.ServiceToken;
import dev.tollgate.envoy.EnvoyConfig;
import dev.tollgate.envoy.EnvoyOptions;
import dev.tollgate.envoy.EnvoyRateLimitService;
import dev.tollgate.web.PasswordHash;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Decisions per second over each interface of the decision service, 64 in flight, next to the in-JVM
 * {@code tollgate.limit.check} in the same run: one Tollgate (local backend, a fixed-window rule of a limit no key
 * reaches, 10,000 keys, events published as for the gateway, no store) serving
 *
 * <ul>
 *   <li><b>bus</b> — {@code tollgate.limit.check} asked over the event bus of the same Vert.x instance;
 *   <li><b>HTTP</b> — {@code POST /ratelimit/v1/check} on the decision service's own port, with a service token,
 *       over 64 kept-alive HTTP/1.1 connections;
 *   <li><b>bridge</b> — the TCP event-bus bridge, a {@code send} with a reply address per check, over 64 connections;
 *   <li><b>gRPC</b> — Envoy's {@code ShouldRateLimit} with one descriptor, 64 streams on one HTTP/2 connection, as
 *       Envoy multiplexes them.
 * </ul>
 *
 * The clients run on a Vert.x instance of their own in the same JVM and reach the server over the loopback; each
 * keeps 64 requests in flight (a closed loop), the interfaces take turns round by round, and the median of the rounds
 * is reported.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.tollgate.bench.DecisionThroughput [seconds]
 * [rounds]}
 */
public final class DecisionThroughput {

    private static final int IN_FLIGHT = 64;
    private static final int KEYS = 10_000;
    private static final String TOKEN = "benchmark-token-0123456789abcdefghijklmnopqrstuvwxyz";

    private DecisionThroughput() {}

    /** One interface: its name, and one check given a key's index. */
    record Contender(String name, IntFunction<Future<?>> check, Supplier<String> state) {
        Contender(String name, IntFunction<Future<?>> check) {
            this(name, check, () -> "");
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int cores = Runtime.getRuntime().availableProcessors();
        Vertx server = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(cores));
        Vertx clients = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(cores));
        Tollgate tollgate = Tollgate.builder()
                .vertx(server)
                .rules(List.of(Rule.fromJson(new JsonObject()
                        .put("name", "jobs")
                        .put("algorithm", "fixed-window")
                        .put("limit", 1_000_000_000L)
                        .put("window", "1h"))))
                .build();
        tollgate.deployServices().await();
        DecisionService decision = new DecisionService(
                tollgate,
                DecisionOptions.defaults()
                        .withHost("127.0.0.1")
                        .withPort(Optional.of(0))
                        .withBridgePort(Optional.of(0))
                        .withTokens(
                                List.of(new ServiceToken("benchmark", PasswordHash.of(TOKEN.toCharArray(), 1_000)))));
        server.deployVerticle(decision).await();
        EnvoyRateLimitService envoy = EnvoyRateLimitService.start(
                        server,
                        tollgate,
                        EnvoyConfig.parse(Map.of("bench.yaml", """
                                domain: bench
                                descriptors:
                                  - key: job
                                    rate_limit: { unit: hour, requests_per_unit: 1000000000 }
                                """)),
                        EnvoyOptions.defaults().withHost("127.0.0.1").withPort(0))
                .await();

        String[] keys = new String[KEYS];
        JsonObject[] busChecks = new JsonObject[KEYS];
        Buffer[] httpBodies = new Buffer[KEYS];
        Buffer[] grpcBodies = new Buffer[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "job:" + i;
            busChecks[i] =
                    new JsonObject().put("rule", "jobs").put("key", keys[i]).put("permits", 1);
            httpBodies[i] = busChecks[i].toBuffer();
            grpcBodies[i] = shouldRateLimit("bench", "job", Integer.toString(i));
        }
        HttpClient http = clients.createHttpClient(
                new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(IN_FLIGHT));
        RequestOptions check = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost("127.0.0.1")
                .setPort(decision.port().orElseThrow())
                .setURI("/ratelimit/v1/check")
                .setIdleTimeout(10_000)
                .putHeader("Content-Type", "application/json")
                .putHeader("Authorization", "Bearer " + TOKEN);
        HttpClient grpc = clients.createHttpClient(new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false)
                .setHttp2MultiplexingLimit(1_000));
        RequestOptions shouldRateLimit = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost("127.0.0.1")
                .setPort(envoy.port())
                .setURI("/envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit")
                .setIdleTimeout(10_000)
                .putHeader("content-type", "application/grpc")
                .putHeader("te", "trailers");
        Bridge bridge = Bridge.connect(clients, decision.bridgePort().orElseThrow(), IN_FLIGHT);

        List<Contender> contenders = List.of(
                new Contender(
                        "bus (in-JVM)", i -> server.eventBus().request(Addresses.LIMIT_CHECK, busChecks[i].copy())),
                new Contender(
                        "HTTP",
                        i -> http.request(check)
                                .compose(request -> request.send(httpBodies[i]).compose(DecisionThroughput::ok))),
                new Contender("bridge", bridge::check, bridge::unanswered),
                new Contender(
                        "gRPC (Envoy)",
                        i -> grpc.request(shouldRateLimit)
                                .compose(request -> request.send(grpcBodies[i]).compose(DecisionThroughput::ok))));
        System.out.printf(
                Locale.ROOT,
                "%d in flight, %,d keys, %d s per measurement, %d rounds, %d cores%n",
                IN_FLIGHT,
                KEYS,
                seconds,
                rounds,
                cores);
        // the token's first check is hashed (two at a time, others refused as busy): once, before any measurement
        http.request(check)
                .compose(request -> request.send(httpBodies[0]).compose(DecisionThroughput::ok))
                .await();
        try {
            for (Contender contender : contenders) {
                System.out.printf(
                        Locale.ROOT,
                        "warming up %s: %,.0f/s%n",
                        contender.name(),
                        measure(contender, Math.max(3, seconds / 2)));
            }
            double[][] rates = new double[contenders.size()][rounds];
            for (int round = 0; round < rounds; round++) {
                StringBuilder line = new StringBuilder("round " + (round + 1) + ":");
                for (int c = 0; c < contenders.size(); c++) {
                    rates[c][round] = measure(contenders.get(c), seconds);
                    line.append(String.format(
                            Locale.ROOT, " | %s %,.0f/s", contenders.get(c).name(), rates[c][round]));
                }
                System.out.println(line);
            }
            double bus = median(rates[0]);
            for (int c = 0; c < contenders.size(); c++) {
                double rate = median(rates[c]);
                System.out.printf(
                        Locale.ROOT,
                        "median: %-14s %,10.0f decisions/s  %.2f× the bus%n",
                        contenders.get(c).name(),
                        rate,
                        rate / bus);
            }
        } finally {
            bridge.close();
            http.close().await();
            grpc.close().await();
            envoy.close().await();
            clients.close().await();
            server.close().await();
        }
    }

    /** Keeps {@link #IN_FLIGHT} checks going for {@code seconds}; the checks answered per second. */
    private static double measure(Contender contender, int seconds) throws InterruptedException {
        IntFunction<Future<?>> check = contender.check();
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong next = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        CountDownLatch finished = new CountDownLatch(IN_FLIGHT);
        long started = System.nanoTime();
        for (int i = 0; i < IN_FLIGHT; i++) {
            loop(check, next, done, failed, end, finished);
        }
        if (!finished.await(seconds + 60L, TimeUnit.SECONDS)) {
            throw new IllegalStateException(
                    contender.name() + ": " + finished.getCount() + " checks still in flight a minute after the end; "
                            + contender.state().get());
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " checks failed");
        }
        return done.get() / elapsed;
    }

    private static void loop(
            IntFunction<Future<?>> check,
            AtomicLong next,
            AtomicLong done,
            AtomicLong failed,
            long end,
            CountDownLatch finished) {
        if (System.nanoTime() >= end) {
            finished.countDown();
            return;
        }
        Future<?> answered;
        try {
            answered = check.apply((int) (next.getAndIncrement() % KEYS));
        } catch (RuntimeException e) {
            answered = Future.failedFuture(e);
        }
        answered.onComplete(result -> {
            if (result.succeeded()) {
                done.incrementAndGet();
            } else {
                failed.incrementAndGet();
                System.err.println("a check failed: " + result.cause());
            }
            loop(check, next, done, failed, end, finished);
        });
    }

    /**
     * The response's body when its status is 200 (and its {@code grpc-status} trailer, if any, 0); a failure naming
     * the status otherwise: an answer that is not a decision is not counted as one.
     */
    private static Future<Buffer> ok(HttpClientResponse response) {
        return response.body().compose(body -> {
            String grpcStatus = response.getTrailer("grpc-status");
            return response.statusCode() == 200 && (grpcStatus == null || grpcStatus.equals("0"))
                    ? Future.succeededFuture(body)
                    : Future.failedFuture(
                            "status " + response.statusCode() + ", grpc-status " + grpcStatus + ": " + body);
        });
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * A gRPC message of Envoy's {@code RateLimitRequest} with one descriptor of one entry, framed: rls.proto's field
     * numbers, domain 1 and descriptors 2, whose entries are field 1 with key 1 and value 2.
     */
    private static Buffer shouldRateLimit(String domain, String key, String value) {
        Buffer entry = field(1, Buffer.buffer(key)).appendBuffer(field(2, Buffer.buffer(value)));
        Buffer message = field(1, Buffer.buffer(domain)).appendBuffer(field(2, field(1, entry)));
        return Buffer.buffer().appendByte((byte) 0).appendInt(message.length()).appendBuffer(message);
    }

    /** A length-delimited field of fewer than 128 bytes. */
    private static Buffer field(int number, Buffer bytes) {
        return Buffer.buffer()
                .appendByte((byte) (number << 3 | 2))
                .appendByte((byte) bytes.length())
                .appendBuffer(bytes);
    }

    /**
     * Clients of the TCP event-bus bridge: each connection keeps one check in flight (the bridge decides a connection's
     * frames one at a time), frames of a 4-byte big-endian length and JSON.
     */
    private static final class Bridge {

        private final NetClient client;
        private final List<NetSocket> sockets;
        private final List<Promise<Void>> waiting;
        private final java.util.Queue<Integer> free;
        private final AtomicLongArray sent;
        private final AtomicLongArray received;

        private Bridge(
                NetClient client,
                List<NetSocket> sockets,
                List<Promise<Void>> waiting,
                java.util.Queue<Integer> free,
                AtomicLongArray sent,
                AtomicLongArray received) {
            this.client = client;
            this.sockets = sockets;
            this.waiting = waiting;
            this.free = free;
            this.sent = sent;
            this.received = received;
        }

        /** The connections whose frames sent and answers received differ, with both counts. */
        String unanswered() {
            StringBuilder out = new StringBuilder("bridge connections waiting (index sent/received):");
            for (int c = 0; c < sockets.size(); c++) {
                if (sent.get(c) != received.get(c)) {
                    out.append(' ')
                            .append(c)
                            .append(' ')
                            .append(sent.get(c))
                            .append('/')
                            .append(received.get(c));
                }
            }
            return out.toString();
        }

        static Bridge connect(Vertx vertx, int port, int connections) {
            List<NetSocket> sockets = new ArrayList<>();
            List<Promise<Void>> waiting = new ArrayList<>();
            java.util.Queue<Integer> free = new java.util.concurrent.ConcurrentLinkedQueue<>();
            AtomicLongArray sent = new AtomicLongArray(connections);
            AtomicLongArray received = new AtomicLongArray(connections);
            // one client, kept: a client nothing refers to is closed when collected, and its connections with it
            NetClient client = vertx.createNetClient();
            for (int c = 0; c < connections; c++) {
                NetSocket socket = client.connect(port, "127.0.0.1").await();
                int index = c;
                waiting.add(null);
                socket.closeHandler(v -> {
                    Promise<Void> answered;
                    synchronized (waiting) {
                        answered = waiting.get(index);
                        waiting.set(index, null);
                    }
                    if (answered != null) {
                        answered.fail("bridge connection " + index + " closed");
                    }
                });
                RecordParser frames = RecordParser.newFixed(4);
                boolean[] header = {true};
                frames.handler(bytes -> {
                    if (header[0]) {
                        frames.fixedSizeMode(bytes.getInt(0));
                        header[0] = false;
                    } else {
                        frames.fixedSizeMode(4);
                        header[0] = true;
                        received.incrementAndGet(index);
                        JsonObject frame = new JsonObject(bytes.toString(StandardCharsets.UTF_8));
                        Promise<Void> answered;
                        synchronized (waiting) {
                            answered = waiting.get(index);
                            waiting.set(index, null);
                        }
                        if (answered != null) {
                            // the connection is free again before the next check is asked
                            free.add(index);
                            if ("message".equals(frame.getString("type"))) {
                                answered.complete();
                            } else {
                                answered.fail(frame.encode());
                            }
                        }
                    }
                });
                socket.handler(frames);
                sockets.add(socket);
                free.add(index);
            }
            return new Bridge(client, sockets, waiting, free, sent, received);
        }

        /** A check on a connection without one in flight; fails when every connection has one. */
        Future<Void> check(int key) {
            Integer index = free.poll();
            if (index == null) {
                return Future.failedFuture(new IllegalStateException("every bridge connection has a check in flight"));
            }
            Promise<Void> answered = Promise.promise();
            synchronized (waiting) {
                waiting.set(index, answered);
            }
            JsonObject frame = new JsonObject()
                    .put("type", "send")
                    .put("address", Addresses.LIMIT_CHECK)
                    .put("replyAddress", "reply-" + index)
                    .put("headers", new JsonObject().put("token", TOKEN))
                    .put("body", new JsonObject().put("rule", "jobs").put("key", "job:" + key));
            Buffer json = frame.toBuffer();
            sent.incrementAndGet(index);
            sockets.get(index)
                    .write(Buffer.buffer().appendInt(json.length()).appendBuffer(json))
                    .onFailure(answered::tryFail);
            return answered.future();
        }

        void close() {
            client.close().await();
        }
    }
}
