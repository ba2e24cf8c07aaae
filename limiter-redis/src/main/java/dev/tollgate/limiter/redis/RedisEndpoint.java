package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.LimiterException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import io.vertx.redis.client.impl.ZModem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One Redis server as one Vert.x instance sees it: a pooled client, the scripts loaded into the
 * server, and the circuit breaker in front of it. Limiters with equal settings on the same Vert.x
 * share one endpoint; it closes when the last of them does.
 *
 * <p>Decisions are sent in batches: those of one limiter asked on one event loop while it runs one
 * piece of work (the answers read from a connection, say), from any of its contexts, go in one call of
 * the script's {@linkplain LuaScript#batch() batch form}, sent when the event loop is done with that work
 * or the batch is full ({@link RedisSettings#batch()}). Each answer is given on the context that asked.
 * A batch of one is sent as the script alone. On Redis Cluster a batch holds the keys of one hash slot,
 * as a script there requires. Decisions asked outside an event loop (from a worker, or a thread of the
 * application's) are sent alone: no event loop tells when their moment is over, and waiting for one
 * would add a hop between threads to each.
 *
 * <p>Every call either answers or fails with a {@link LimiterException} within the configured
 * timeout. Calls that get no answer (refused or lost connection, timeout) count as failures for the
 * breaker; an error reply from the server proves it alive and counts as a success.
 */
final class RedisEndpoint {

    private static final Logger LOG = Logger.getLogger(RedisEndpoint.class.getName());
    private static final Map<Key, RedisEndpoint> OPEN = new HashMap<>();

    private record Key(Vertx vertx, RedisSettings settings) {}

    /**
     * Which batch a decision waits in on its event loop: one per limiter's script (whose decisions share the
     * limiter's arguments) and, on Redis Cluster, per hash slot.
     */
    private record BatchKey(AlgorithmScript script, int slot) {}

    private final Key key;
    private final RedisSettings settings;
    private final Redis client;
    private final CircuitBreaker breaker;
    private final long timeoutMillis;
    private final int batchSize;
    private final ToIntFunction<String> slotOf;

    private final LongAdder requests = new LongAdder();
    private final LongAdder batched = new LongAdder();
    /** The batches waiting on each event loop thread: touched by that thread only. */
    private final ThreadLocal<Map<BatchKey, Batch>> pending = ThreadLocal.withInitial(HashMap::new);

    private final Map<String, Future<Void>> loads = new ConcurrentHashMap<>();
    /** Guarded by {@link #OPEN}. */
    private int users;

    private RedisEndpoint(Key key) {
        this.key = key;
        this.settings = key.settings();
        RedisOptions options = new RedisOptions()
                .setConnectionString(settings.url())
                .setMaxPoolSize(settings.poolSize())
                .setMaxPoolWaiting(settings.poolWaiting());
        options.getNetClientOptions().setConnectTimeout((int)
                Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()));
        this.client = Redis.createClient(key.vertx(), options);
        this.breaker = new CircuitBreaker(
                settings.breakerFailures(), settings.breakerCooldown().toNanos(), System::nanoTime);
        this.timeoutMillis = settings.timeout().toMillis();
        this.batchSize = settings.batch();
        this.slotOf = batchSlot(options.getType());
        for (LuaScript lua : LuaScript.ALL) {
            load(lua).onFailure(e -> LOG.log(Level.FINE, "could not load " + lua + " yet; it loads on first use", e));
        }
    }

    /** The endpoint for {@code settings} on {@code vertx}, opened on first use; {@link #release()} it when done. */
    static RedisEndpoint open(Vertx vertx, RedisSettings settings) {
        synchronized (OPEN) {
            RedisEndpoint endpoint = OPEN.computeIfAbsent(new Key(vertx, settings), RedisEndpoint::new);
            endpoint.users++;
            return endpoint;
        }
    }

    /** One user is done; the last one closes the client. */
    Future<Void> release() {
        synchronized (OPEN) {
            if (--users > 0) {
                return Future.succeededFuture();
            }
            OPEN.remove(key, this);
        }
        return client.close();
    }

    /**
     * Decides with {@code script} on {@code keys}: in a batch with the other decisions of the moment on this
     * event loop, or alone when asked outside an event loop or when batches hold one decision. The script is
     * run with {@code EVALSHA}; when the server has lost it, it is loaded again and the call retried once.
     *
     * @param arguments the script's arguments: the decision's own {@value LuaScript#OWN_ARGUMENTS} first, then
     *                  the limiter's, the same for every decision of {@code script}
     * @return the script's answer for these keys
     */
    Future<Response> evaluate(AlgorithmScript script, String[] keys, long[] arguments) {
        Context context = Vertx.currentContext();
        // the code of executeBlocking runs on a worker thread with its event loop's context current: only the event
        // loop's own thread batches (its batches are kept per thread, and sent when that thread is done)
        if (batchSize == 1 || context == null || !context.isEventLoopContext() || !Context.isOnEventLoopThread()) {
            return call(() -> evalsha(script.lua(), keys, arguments), script.lua());
        }
        Pending decision = new Pending(context, keys, arguments);
        enqueue(script, decision);
        return decision.answer.future();
    }

    /** Sends one command through the breaker. */
    Future<Response> command(Request request) {
        return call(() -> request, null);
    }

    CircuitState circuitState() {
        return breaker.state();
    }

    /** How many commands went to the client (and so to the network): fail-fast calls are not among them. */
    long requestsSent() {
        return requests.sum();
    }

    /**
     * What keeps decisions apart in batches besides their limiter: on Redis Cluster the hash slot of their
     * keys, as the client computes it (a decision's keys share one), elsewhere nothing.
     */
    static ToIntFunction<String> batchSlot(RedisClientType type) {
        return type == RedisClientType.CLUSTER ? ZModem::generate : redisKey -> 0;
    }

    /** How many decisions went in batches of more than one. */
    long decisionsBatched() {
        return batched.sum();
    }

    RedisSettings settings() {
        return settings;
    }

    /**
     * Adds {@code decision} to the batch pending on this event loop; sends the batch when full, and
     * otherwise once the event loop is done with the work at hand, which may add to the batch.
     */
    private void enqueue(AlgorithmScript script, Pending decision) {
        Map<BatchKey, Batch> batches = pending.get();
        BatchKey key = new BatchKey(script, slotOf.applyAsInt(decision.keys[0]));
        Batch batch = batches.get(key);
        if (batch == null) {
            Batch fresh = new Batch(script.lua());
            batch = fresh;
            batches.put(key, fresh);
            decision.context.runOnContext(v -> {
                if (!fresh.sent) {
                    flush(batches, key, fresh);
                }
            });
        }
        batch.decisions.add(decision);
        if (batch.decisions.size() >= batchSize) {
            flush(batches, key, batch);
        }
    }

    private void flush(Map<BatchKey, Batch> batches, BatchKey key, Batch batch) {
        batch.sent = true;
        batches.remove(key);
        List<Pending> decisions = batch.decisions;
        if (decisions.size() == 1) {
            Pending alone = decisions.get(0);
            call(() -> evalsha(batch.lua, alone.keys, alone.arguments), batch.lua)
                    .onComplete(sent -> alone.settle(sent.succeeded() ? sent.result() : null, sent.cause()));
            return;
        }
        LuaScript lua = batch.lua.batch();
        batched.add(decisions.size());
        call(() -> evalsha(lua, decisions), lua).onComplete(sent -> {
            for (int i = 0; i < decisions.size(); i++) {
                Pending decision = decisions.get(i);
                if (sent.failed()) {
                    decision.settle(null, sent.cause());
                    continue;
                }
                Response answer = sent.result().get(i);
                if (answer.type() == ResponseType.ERROR) {
                    decision.settle(null, refused(answer.toString(), (Throwable) answer));
                } else {
                    decision.settle(answer, null);
                }
            }
        });
    }

    private Future<Response> call(Supplier<Request> request, LuaScript lua) {
        if (!breaker.tryPass()) {
            return Future.failedFuture(new LimiterException("Redis at " + settings.safeUrl() + " is unavailable: "
                    + breaker.failureThreshold()
                    + " consecutive failures opened the circuit breaker, which tries again "
                    + "within " + TimeUnit.NANOSECONDS.toMillis(breaker.cooldownNanos()) + " ms"));
        }
        Promise<Response> result = Promise.promise();
        send(request.get()).onComplete(first -> {
            if (lua != null && first.failed() && isNoScript(first.cause())) {
                load(lua).compose(loaded -> send(request.get())).onComplete(retried -> settle(retried, result));
            } else {
                settle(first, result);
            }
        });
        return result.future();
    }

    private void settle(AsyncResult<Response> outcome, Promise<Response> result) {
        if (outcome.succeeded()) {
            breaker.onSuccess();
            result.complete(outcome.result());
            return;
        }
        Throwable cause = outcome.cause();
        if (isServerReply(cause)) {
            // an error reply: the server is there
            breaker.onSuccess();
            result.fail(refused(cause.getMessage(), cause));
        } else if (cause instanceof LimiterException) {
            breaker.onFailure();
            result.fail(cause);
        } else {
            breaker.onFailure();
            result.fail(new LimiterException("Redis at " + settings.safeUrl() + " did not answer: " + cause, cause));
        }
    }

    private LimiterException refused(String error, Throwable cause) {
        return new LimiterException("Redis at " + settings.safeUrl() + " refused the command: " + error, cause);
    }

    private Future<Response> send(Request request) {
        requests.increment();
        return client.send(request).timeout(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Loads {@code lua}; callers that come while a load is on its way share it. */
    private Future<Void> load(LuaScript lua) {
        Promise<Void> fresh = Promise.promise();
        Future<Void> load = loads.compute(
                lua.sha1(), (sha, running) -> running != null && !running.isComplete() ? running : fresh.future());
        if (load == fresh.future()) {
            send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(lua.source()))
                    .<Void>compose(sha -> lua.sha1().equals(sha.toString())
                            ? Future.succeededFuture()
                            : Future.failedFuture(new LimiterException(
                                    "Redis named " + lua + " " + sha + ", expected " + lua.sha1())))
                    .onComplete(fresh);
        }
        return load;
    }

    private static Request evalsha(LuaScript lua, String[] keys, long[] arguments) {
        Request request = Request.cmd(Command.EVALSHA).arg(lua.sha1()).arg(keys.length);
        for (String key : keys) {
            request.arg(key);
        }
        for (long argument : arguments) {
            request.arg(argument);
        }
        return request;
    }

    /**
     * One call of a batch form for {@code decisions}: their keys one after the other, the arguments they
     * share, then each one's own.
     */
    private static Request evalsha(LuaScript lua, List<Pending> decisions) {
        Request request =
                Request.cmd(Command.EVALSHA).arg(lua.sha1()).arg(decisions.size() * decisions.get(0).keys.length);
        for (Pending decision : decisions) {
            for (String key : decision.keys) {
                request.arg(key);
            }
        }
        long[] shared = decisions.get(0).arguments;
        for (int i = LuaScript.OWN_ARGUMENTS; i < shared.length; i++) {
            request.arg(shared[i]);
        }
        for (Pending decision : decisions) {
            for (int i = 0; i < LuaScript.OWN_ARGUMENTS; i++) {
                request.arg(decision.arguments[i]);
            }
        }
        return request;
    }

    /** A decision waiting for its batch to be sent, and the context that asked it. */
    private static final class Pending {

        final Context context;
        final String[] keys;
        final long[] arguments;
        final Promise<Response> answer = Promise.promise();

        Pending(Context context, String[] keys, long[] arguments) {
            this.context = context;
            this.keys = keys;
            this.arguments = arguments;
        }

        /** Answers on the context that asked: a batch holds the decisions of every context of its event loop. */
        void settle(Response answer, Throwable failure) {
            if (Vertx.currentContext() == context) {
                complete(answer, failure);
            } else {
                context.runOnContext(v -> complete(answer, failure));
            }
        }

        private void complete(Response reply, Throwable failure) {
            if (failure == null) {
                answer.complete(reply);
            } else {
                answer.fail(failure);
            }
        }
    }

    /** The decisions of one script waiting on one event loop; touched by that event loop only. */
    private static final class Batch {

        final LuaScript lua;
        final List<Pending> decisions = new ArrayList<>();
        boolean sent;

        Batch(LuaScript lua) {
            this.lua = lua;
        }
    }

    /**
     * Whether {@code failure} is an error the server sent. The client reports a lost connection and a
     * garbled reply with the same type as a server's error, under names no server error has.
     */
    private static boolean isServerReply(Throwable failure) {
        if (!(failure instanceof Response)) {
            return false;
        }
        String message = String.valueOf(failure.getMessage());
        return !message.startsWith("CONNECTION_CLOSED") && !message.startsWith("ILLEGAL_STATE");
    }

    private static boolean isNoScript(Throwable failure) {
        return failure instanceof Response
                && String.valueOf(failure.getMessage()).startsWith("NOSCRIPT");
    }
}
