package dev.tollgate.test.support;

import static dev.tollgate.test.support.Await.await;
import static dev.tollgate.test.support.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {

    @Test
    void awaitAnswersTheResultOfAFutureCompletedLater() {
        Promise<String> promise = Promise.promise();
        new Thread(() -> promise.complete("done")).start();

        assertThat(await(promise.future())).isEqualTo("done");
    }

    @Test
    void awaitThrowsAFailureAsTheCauseOfAnIllegalStateException() {
        IllegalArgumentException refused = new IllegalArgumentException("no such key");

        assertThatThrownBy(() -> await(Future.failedFuture(refused)))
                .isInstanceOf(IllegalStateException.class)
                .cause()
                .isSameAs(refused);
    }

    @Test
    void failureAnswersTheFailureAndRefusesASuccess() {
        IllegalArgumentException refused = new IllegalArgumentException("no such key");

        assertThat(failure(Future.failedFuture(refused))).isSameAs(refused);
        assertThatThrownBy(() -> failure(Future.succeededFuture(42)))
                .isInstanceOf(AssertionError.class)
                .hasMessage("expected the future to fail; it succeeded with 42");
    }

    @Test
    void untilReturnsOnceTheConditionHolds() {
        AtomicInteger polls = new AtomicInteger();

        Await.until(() -> polls.incrementAndGet() == 3, "the third poll");

        assertThat(polls).hasValue(3);
    }

    @Test
    void untilFailsNamingWhatItWaitedForAndWhatTheTestSaw() {
        assertThatThrownBy(() -> Await.until(() -> false, "the green light", Duration.ofMillis(30), () -> "red"))
                .isInstanceOf(AssertionError.class)
                .hasMessage("timed out after 30 ms waiting for the green light\nred");
        assertThatThrownBy(() -> Await.until(() -> false, "the green light", Duration.ofMillis(30)))
                .hasMessage("timed out after 30 ms waiting for the green light");
    }

    @Test
    void closeStopsEveryInstanceAndSkipsTheOneNeverMade() {
        AtomicInteger stopped = new AtomicInteger();
        Vertx first = Vertx.vertx();
        Vertx second = Vertx.vertx();
        await(first.deployVerticle(new Counting(stopped)));
        await(second.deployVerticle(new Counting(stopped)));

        Await.close(first, null, second);

        assertThat(stopped).hasValue(2);
    }

    /** Counts its undeployments: closing a Vert.x instance undeploys its verticles. */
    private static final class Counting extends VerticleBase {

        private final AtomicInteger stopped;

        Counting(AtomicInteger stopped) {
            this.stopped = stopped;
        }

        @Override
        public Future<?> stop() {
            stopped.incrementAndGet();
            return Future.succeededFuture();
        }
    }
}
