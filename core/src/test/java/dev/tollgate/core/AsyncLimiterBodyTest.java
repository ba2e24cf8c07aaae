package dev.tollgate.core;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.LimiterRegistry;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.limiter.spi.LimiterProvider;
import dev.tollgate.test.support.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A limiter that answers later, as a remote backend does: the request body still reaches the next handler. */
class AsyncLimiterBodyTest {

    /** Decides like the local fixed window, but answers on a timer tick later. */
    private static final class LaterProvider implements LimiterProvider {
        private final LimiterProvider local =
                LimiterRegistry.fromServiceLoader().provider("fixed-window", "local");
        private final Vertx vertx;

        LaterProvider(Vertx vertx) {
            this.vertx = vertx;
        }

        @Override
        public String name() {
            return "fixed-window";
        }

        @Override
        public String backend() {
            return "later";
        }

        @Override
        public RateLimiter create(LimitSpec spec, LimiterOptions options) {
            RateLimiter now = local.create(spec, options);
            return new RateLimiter() {
                @Override
                public LimitSpec spec() {
                    return spec;
                }

                @Override
                public Future<Decision> acquire(String key, long permits) {
                    return later(now.acquire(key, permits));
                }

                @Override
                public Future<Decision> peek(String key) {
                    return later(now.peek(key));
                }

                @Override
                public Future<Void> reset(String key) {
                    return now.reset(key);
                }
            };
        }

        private <T> Future<T> later(Future<T> result) {
            Promise<T> promise = Promise.promise();
            vertx.setTimer(20, id -> result.onComplete(promise));
            return promise.future();
        }
    }

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void tearDown() {
        Await.close(vertx);
    }

    @Test
    void theBodyOfARequestDecidedLaterReachesTheNextHandler() {
        Tollgate tollgate = Tollgate.builder()
                .vertx(vertx)
                .limiters(LimiterRegistry.empty().register(new LaterProvider(vertx)))
                .backend("later")
                .rules(List.of(Rule.fromJson(new JsonObject(
                        "{\"name\":\"api\",\"algorithm\":\"fixed-window\",\"limit\":5,\"window\":\"1m\"}"))))
                .build();
        Router router = Router.router(vertx);
        router.route().handler(tollgate.handler());
        router.route()
                .handler(ctx ->
                        ctx.request().body().onSuccess(body -> ctx.response().end("got " + body)));
        HttpServer server =
                await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));

        HttpResponse<Buffer> response = await(WebClient.create(vertx)
                .post(server.actualPort(), "127.0.0.1", "/orders")
                .sendBuffer(Buffer.buffer("a=1&b=2")));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyAsString()).isEqualTo("got a=1&b=2");
        assertThat(response.getHeader("X-RateLimit-Remaining")).isEqualTo("4");
    }
}
