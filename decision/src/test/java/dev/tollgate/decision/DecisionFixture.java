package dev.tollgate.decision;

import static dev.tollgate.test.support.Await.await;

import dev.tollgate.core.Rule;
import dev.tollgate.core.Tollgate;
import dev.tollgate.events.EventQuery;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.ManualClock;
import dev.tollgate.store.memory.MemoryEventStore;
import dev.tollgate.test.support.Await;
import dev.tollgate.web.PasswordHash;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A Tollgate with a few rules, a memory store and a decision service, its API mounted on a "gateway" server as
 * {@code tollgate serve} mounts it. Tokens are hashed with few iterations: the tests count hashes, not time them.
 */
final class DecisionFixture implements AutoCloseable {

    static final Instant NOW = Instant.parse("2027-03-01T10:00:00Z");
    static final String CHECKOUT_TOKEN = "checkout-token-0123456789abcdefghijklmnopqrstuvwxyz";
    static final String BILLING_TOKEN = "billing-token-0123456789abcdefghijklmnopqrstuvwxyz";
    static final int ITERATIONS = 1_000;

    final Vertx vertx = Vertx.vertx();
    final ManualClock clock = ManualClock.at(NOW);
    final MemoryEventStore store = MemoryEventStore.create(vertx, Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC));
    final Tollgate tollgate;
    final DecisionService service;
    final int gatewayPort;

    DecisionFixture(UnaryOperator<DecisionOptions> options) {
        tollgate = Tollgate.builder()
                .vertx(vertx)
                .limiterOptions(LimiterOptions.defaults().withClock(clock))
                .store(store)
                .rules(List.of(
                        rule("{\"name\":\"api\",\"algorithm\":\"fixed-window\",\"limit\":2,\"window\":\"1h\"}"),
                        rule("{\"name\":\"keyed\",\"key\":\"header:X-Key\",\"algorithm\":\"fixed-window\","
                                + "\"limit\":1,\"window\":\"1h\"}"),
                        rule("{\"name\":\"by-ip\",\"key\":\"ip\",\"algorithm\":\"fixed-window\",\"limit\":1,"
                                + "\"window\":\"1h\"}"),
                        rule("{\"name\":\"trial\",\"algorithm\":\"fixed-window\",\"limit\":1,\"window\":\"1h\","
                                + "\"shadow\":true}")))
                .build();
        await(tollgate.deployServices());
        service = new DecisionService(
                tollgate,
                options.apply(DecisionOptions.defaults()
                        .withHost("127.0.0.1")
                        .withTokens(List.of(token("checkout", CHECKOUT_TOKEN), token("billing", BILLING_TOKEN)))));
        await(vertx.deployVerticle(service));
        Router gateway = Router.router(vertx);
        gateway.route(DecisionService.MOUNT_POINT + "*").subRouter(service.router(vertx));
        gateway.route().handler(ctx -> ctx.response().setStatusCode(418).end("the upstream"));
        HttpServer server =
                await(vertx.createHttpServer().requestHandler(gateway).listen(0, "127.0.0.1"));
        gatewayPort = server.actualPort();
    }

    static Rule rule(String json) {
        return Rule.fromJson(new JsonObject(json));
    }

    static ServiceToken token(String name, String token) {
        return new ServiceToken(name, PasswordHash.of(token.toCharArray(), ITERATIONS));
    }

    /** The recorded events, oldest first, once {@code count} of them are in the store. */
    List<RateLimitEvent> events(int count) {
        Await.until(() -> await(store.events(EventQuery.all())).events().size() >= count, count + " recorded events");
        List<RateLimitEvent> events =
                new java.util.ArrayList<>(await(store.events(EventQuery.all())).events());
        java.util.Collections.reverse(events);
        return events;
    }

    @Override
    public void close() {
        Await.close(vertx);
    }
}
