package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;
import static dev.tollgate.test.support.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.test.support.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link UpstreamDeadlines} over real requests to a real server that answers a path only when the test says so, on
 * a clock the test moves ({@link UpstreamDeadlines#expire} at chosen instants; its own timer reads a time far off).
 */
class UpstreamDeadlinesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(1_000 * SECOND);
    private final Map<String, HttpServerRequest> held = new ConcurrentHashMap<>();
    private Vertx vertx;
    private Context context;
    private HttpServer server;
    private HttpClient client;
    private UpstreamDeadlines deadlines;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        server = await(vertx.createHttpServer()
                .requestHandler(request -> held.put(request.path(), request))
                .listen(0, "127.0.0.1"));
        client = vertx.createHttpClient();
        context = vertx.getOrCreateContext();
        deadlines = onContext(() -> new UpstreamDeadlines(vertx, TIMEOUT, now::get));
    }

    @AfterEach
    void tearDown() {
        await(vertx.close());
    }

    @Test
    void aRequestAnsweredInTimeLeavesAndIsNeverReset() {
        Future<String> answer = send("/quick");
        assertThat(onContext(deadlines::waiting)).isEqualTo(1);
        heldRequest("/quick").response().end("ok");

        assertThat(await(answer)).isEqualTo("ok");
        assertThat(onContext(deadlines::waiting)).isZero();
        now.addAndGet(TIMEOUT.toNanos() * 2);
        assertThat(onContext(() -> deadlines.expire(now.get()))).isEqualTo(-1);
    }

    @Test
    void eachSilentRequestIsResetAtItsOwnDeadlineAndNoSooner() {
        Future<String> first = send("/first");
        now.addAndGet(5 * SECOND);
        Future<String> second = send("/second");
        now.addAndGet(5 * SECOND);
        Future<String> third = send("/third");
        heldRequest("/first").response().end("first");
        assertThat(await(first)).isEqualTo("first");

        // 1 ns before the second's deadline: nothing is due; the second is next, 1 ns away
        long secondDeadline = now.get() - 5 * SECOND + TIMEOUT.toNanos();
        assertThat(onContext(() -> deadlines.expire(secondDeadline - 1))).isEqualTo(1);
        assertThat(second.isComplete()).isFalse();
        // at it: the second is reset with the timeout; the third waits 5 s more
        assertThat(onContext(() -> deadlines.expire(secondDeadline))).isEqualTo(5 * SECOND);
        Throwable cause = failure(second);
        assertThat(causes(cause))
                .anySatisfy(c -> assertThat(c)
                        .isInstanceOf(TimeoutException.class)
                        .hasMessage("the upstream sent nothing for 30000 ms"));
        assertThat(third.isComplete()).isFalse();
        assertThat(onContext(deadlines::waiting)).isEqualTo(1);

        assertThat(onContext(() -> deadlines.expire(secondDeadline + 5 * SECOND)))
                .isEqualTo(-1);
        assertThat(causes(failure(third))).anyMatch(TimeoutException.class::isInstance);
        assertThat(onContext(deadlines::waiting)).isZero();
    }

    @Test
    void aRequestThatFailsOtherwiseLeavesFromTheMiddle() {
        Future<String> before = send("/before");
        Future<String> dropped = send("/dropped");
        Future<String> after = send("/after");
        heldRequest("/dropped").connection().close();

        assertThat(failure(dropped)).isNotNull();
        Await.until(() -> onContext(deadlines::waiting) == 2, "the dropped request to leave");
        assertThat(onContext(() -> deadlines.expire(now.get() + TIMEOUT.toNanos())))
                .isEqualTo(-1);
        assertThat(causes(failure(before))).anyMatch(TimeoutException.class::isInstance);
        assertThat(causes(failure(after))).anyMatch(TimeoutException.class::isInstance);
        assertThat(onContext(deadlines::waiting)).isZero();
    }

    @Test
    void theTimerResetsASilentRequestOnItsOwn() {
        UpstreamDeadlines quick = onContext(() -> new UpstreamDeadlines(vertx, Duration.ofMillis(50)));
        Future<HttpClientResponse> answer =
                Future.future(promise -> context.runOnContext(v -> quick.watch(client.request(new RequestOptions()
                                .setPort(server.actualPort())
                                .setHost("127.0.0.1")
                                .setURI("/never")))
                        .compose(HttpClientRequest::send)
                        .onComplete(promise)));

        assertThat(causes(failure(answer))).anyMatch(TimeoutException.class::isInstance);
        assertThat(onContext(quick::waiting)).isZero();
    }

    /** The body of the answer to {@code path}, read as the answer arrives (on the context, so none of it is missed). */
    private Future<String> send(String path) {
        Promise<HttpClientRequest> created = Promise.promise();
        context.runOnContext(v -> deadlines
                .watch(client.request(new RequestOptions()
                        .setPort(server.actualPort())
                        .setHost("127.0.0.1")
                        .setURI(path)))
                .onComplete(created));
        HttpClientRequest request = await(created.future());
        Promise<String> answer = Promise.promise();
        context.runOnContext(v -> request.send()
                .compose(HttpClientResponse::body)
                .map(Object::toString)
                .onComplete(answer));
        Await.until(() -> held.containsKey(path), "the server to hold " + path);
        return answer.future();
    }

    private HttpServerRequest heldRequest(String path) {
        Await.until(() -> held.containsKey(path), "the server to hold " + path);
        return held.get(path);
    }

    private <T> T onContext(Supplier<T> action) {
        Promise<T> result = Promise.promise();
        context.runOnContext(v -> result.complete(action.get()));
        return await(result.future());
    }

    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> causes = new java.util.ArrayList<>();
        for (Throwable cause = failure; cause != null && !causes.contains(cause); cause = cause.getCause()) {
            causes.add(cause);
        }
        return causes;
    }
}
