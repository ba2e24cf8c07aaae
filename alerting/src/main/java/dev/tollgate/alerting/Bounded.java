package dev.tollgate.alerting;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;

/** A future that completes as {@code work} does, or fails after a timeout, whichever comes first. */
final class Bounded {

    private Bounded() {}

    /** {@code work}, failed with an {@link AlertingException} saying {@code onTimeout} when it takes longer than {@code timeout}. */
    static <T> Future<T> within(Vertx vertx, Future<T> work, Duration timeout, String onTimeout) {
        Promise<T> bounded = Promise.promise();
        long timer = vertx.setTimer(
                Math.max(1, timeout.toMillis()), id -> bounded.tryFail(new AlertingException(onTimeout)));
        work.onComplete(result -> {
            vertx.cancelTimer(timer);
            if (result.succeeded()) {
                bounded.tryComplete(result.result());
            } else {
                bounded.tryFail(result.cause());
            }
        });
        return bounded.future();
    }

    /** {@code duration} as people read it in a message: {@code 5 s}, {@code 200 ms}. */
    static String text(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
