package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.LimiterException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One Redis server as one Vert.x instance sees it: a pooled client, the scripts loaded into the
 * server, and the circuit breaker in front of it. Limiters with equal settings on the same Vert.x
 * share one endpoint; it closes when the last of them does.
 *
 * <p>Every call either answers or fails with a {@link LimiterException} within the configured
 * timeout. Calls that get no answer (refused or lost connection, timeout) count as failures for the
 * breaker; an error reply from the server proves it alive and counts as a success.
 */
final class RedisEndpoint {

    private static final Logger LOG = Logger.getLogger(RedisEndpoint.class.getName());
    private static final Map<Key, RedisEndpoint> OPEN = new HashMap<>();

    private record Key(Vertx vertx, RedisSettings settings) {}

    private final Key key;
    private final RedisSettings settings;
    private final Redis client;
    private final CircuitBreaker breaker;
    private final long timeoutMillis;
    private final LongAdder requests = new LongAdder();
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

    /** Runs {@code lua} with {@code EVALSHA}; when the server has lost it, loads it again and retries once. */
    Future<Response> evaluate(LuaScript lua, String[] keys, long[] arguments) {
        return call(() -> evalsha(lua, keys, arguments), lua);
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

    RedisSettings settings() {
        return settings;
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
            result.fail(new LimiterException(
                    "Redis at " + settings.safeUrl() + " refused the command: " + cause.getMessage(), cause));
        } else if (cause instanceof LimiterException) {
            breaker.onFailure();
            result.fail(cause);
        } else {
            breaker.onFailure();
            result.fail(new LimiterException("Redis at " + settings.safeUrl() + " did not answer: " + cause, cause));
        }
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
