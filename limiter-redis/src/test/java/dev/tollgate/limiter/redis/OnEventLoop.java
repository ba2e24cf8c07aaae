package dev.tollgate.limiter.redis;

import static dev.tollgate.test.support.Await.await;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.RateLimiter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * A limiter whose every call is asked on one event loop, as the gateway asks them, whichever thread
 * calls it: calls that meet there go to Redis in batches. And the means to ask several decisions in one
 * piece of work of an event loop, so that they go in one batch.
 */
final class OnEventLoop implements RateLimiter {

    private final RateLimiter limiter;
    private final Context loop;

    OnEventLoop(RateLimiter limiter, Vertx vertx) {
        this.limiter = limiter;
        this.loop = eventLoop(vertx);
    }

    /** A new context on an event loop of {@code vertx}; asked from a thread outside Vert.x. */
    static Context eventLoop(Vertx vertx) {
        if (Vertx.currentContext() != null) {
            throw new IllegalStateException("ask for an event loop from a thread outside Vert.x");
        }
        return vertx.getOrCreateContext();
    }

    /**
     * Asks {@code count} decisions, {@code decision.apply(0)} first, in one piece of work of {@code loop},
     * and waits until every one has its answer or its failure.
     */
    static <T> List<Future<T>> inOneTurn(Context loop, int count, IntFunction<Future<T>> decision) {
        CompletableFuture<List<Future<T>>> asked = new CompletableFuture<>();
        loop.runOnContext(v -> {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(decision.apply(i));
            }
            asked.complete(futures);
        });
        List<Future<T>> futures = asked.join();
        await(Future.join(futures).transform(all -> Future.succeededFuture()));
        return futures;
    }

    @Override
    public LimitSpec spec() {
        return limiter.spec();
    }

    @Override
    public Future<Decision> acquire(String key, long permits) {
        return onLoop(() -> limiter.acquire(key, permits));
    }

    @Override
    public boolean reserves() {
        return limiter.reserves();
    }

    @Override
    public Future<Decision> reserve(String key, long permits, Duration maxDelay) {
        return onLoop(() -> limiter.reserve(key, permits, maxDelay));
    }

    @Override
    public Future<Void> cancelReservation(String key, long permits) {
        return onLoop(() -> limiter.cancelReservation(key, permits));
    }

    @Override
    public Future<Decision> peek(String key) {
        return onLoop(() -> limiter.peek(key));
    }

    @Override
    public Future<Void> reset(String key) {
        return onLoop(() -> limiter.reset(key));
    }

    @Override
    public Future<Void> close() {
        return limiter.close();
    }

    private <T> Future<T> onLoop(Supplier<Future<T>> call) {
        return ask(loop, call);
    }

    /** What {@code call} answers, asked on {@code loop}, whichever thread asks. */
    static <T> Future<T> ask(Context loop, Supplier<Future<T>> call) {
        Promise<T> answer = Promise.promise();
        loop.runOnContext(v -> call.get().onComplete(answer));
        return answer.future();
    }

    @Override
    public String toString() {
        return limiter + " on an event loop";
    }
}
