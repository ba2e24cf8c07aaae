package dev.tollgate.test.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded waits for tests, so that a broken test fails with a message instead of hanging: for a future's
 * result ({@link #await}, {@link #awaitOnContext} for a chain started on a Vert.x context) or failure
 * ({@link #failure}), for a condition to hold ({@link #until}), and for
 * Vert.x instances to close ({@link #close}). Tests import {@code await} statically.
 */
public final class Await {

    /** How long {@link #await} and {@link #failure} wait for a future to complete. */
    public static final Duration FUTURE_LIMIT = Duration.ofSeconds(60);

    /** How long {@link #until(BooleanSupplier, String)} waits for its condition. */
    public static final Duration CONDITION_LIMIT = Duration.ofSeconds(30);

    private static final long POLL_MILLIS = 10;

    private Await() {}

    /**
     * The result of {@code future}, waiting at most {@link #FUTURE_LIMIT}. A failure is thrown as the cause
     * of an {@link IllegalStateException}, so that tests can assert on it with {@code .cause()}; no answer in
     * time is an {@link IllegalStateException} too.
     */
    public static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(FUTURE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer in " + FUTURE_LIMIT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The result of the future that {@code work} starts on a Vert.x context of {@code vertx}, waiting as
     * {@link #await(Future)} does. Start a chain that reads an HTTP client's response body this way rather than from
     * the test's own thread: from there, the response's continuation runs on another context than its connection's,
     * and Vert.x 5.0.7 can lose a body that ends before {@code body()} is asked for — the future then never
     * completes. Measured with fresh clients under CPU load: 5 hangs in 400 chains started from the test's thread,
     * none in 600 started on a context.
     */
    public static <T> T awaitOnContext(Vertx vertx, Supplier<Future<T>> work) {
        Promise<T> result = Promise.promise();
        vertx.getOrCreateContext().runOnContext(started -> {
            try {
                work.get().onComplete(result);
            } catch (RuntimeException e) {
                result.fail(e);
            }
        });
        return await(result.future());
    }

    /**
     * The failure of {@code future}, waiting at most {@link #FUTURE_LIMIT}; an {@link AssertionError} when it
     * succeeds instead.
     */
    public static Throwable failure(Future<?> future) {
        Object result;
        try {
            result = future.toCompletionStage()
                    .toCompletableFuture()
                    .get(FUTURE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer in " + FUTURE_LIMIT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        throw new AssertionError("expected the future to fail; it succeeded with " + result);
    }

    /** Polls {@code condition} until it holds, failing with {@code what} after {@link #CONDITION_LIMIT}. */
    public static void until(BooleanSupplier condition, String what) {
        until(condition, what, CONDITION_LIMIT);
    }

    /** Polls {@code condition} until it holds, failing with {@code what} after {@code limit}. */
    public static void until(BooleanSupplier condition, String what, Duration limit) {
        until(condition, what, limit, () -> "");
    }

    /**
     * Polls {@code condition} every 10 ms until it holds. After {@code limit} it fails with an
     * {@link AssertionError} naming {@code what}, followed by {@code state} (what the test saw, for the
     * reader of the failure) when that is not empty. An exception from {@code condition} ends the wait.
     */
    public static void until(BooleanSupplier condition, String what, Duration limit, Supplier<String> state) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                String seen = state.get();
                throw new AssertionError("timed out after " + limit.toMillis() + " ms waiting for " + what
                        + (seen.isEmpty() ? "" : "\n" + seen));
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    /**
     * Closes every instance and waits for all of them, at most {@link #FUTURE_LIMIT}; one that fails to close
     * does not keep the others open. A {@code null} is skipped: the instance a failed set-up never made.
     */
    public static void close(Vertx... instances) {
        List<Future<Void>> closing = new ArrayList<>();
        for (Vertx vertx : instances) {
            if (vertx != null) {
                closing.add(vertx.close());
            }
        }
        await(Future.join(closing));
    }
}
