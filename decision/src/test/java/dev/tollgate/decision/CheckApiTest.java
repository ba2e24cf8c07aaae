package dev.tollgate.decision;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.events.RateLimitEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code POST /ratelimit/v1/check} over real sockets: decisions, batches, described requests, tokens, bounds. */
class CheckApiTest {

    private DecisionFixture fixture = new DecisionFixture(options -> options.withHashesPerMinute(3));
    private WebClient client = WebClient.create(fixture.vertx);

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private HttpRequest<Buffer> post(int port, String token) {
        HttpRequest<Buffer> request =
                client.post(port, "127.0.0.1", "/ratelimit/v1/check").putHeader("Content-Type", "application/json");
        return token == null ? request : request.putHeader("Authorization", "Bearer " + token);
    }

    private HttpResponse<Buffer> check(JsonObject body) {
        return await(post(fixture.gatewayPort, DecisionFixture.CHECKOUT_TOKEN).sendBuffer(body.toBuffer()));
    }

    private static JsonObject byKey(String rule, String key) {
        return new JsonObject().put("rule", rule).put("key", key);
    }

    @Test
    void allowsAsManyAsTheLimitThenRefusesWith200AndTheGatewaysHeaders() {
        HttpResponse<Buffer> first = check(byKey("api", "job:1"));
        HttpResponse<Buffer> second = check(byKey("api", "job:1"));
        HttpResponse<Buffer> third = check(byKey("api", "job:1"));

        assertThat(List.of(first.statusCode(), second.statusCode(), third.statusCode()))
                .containsExactly(200, 200, 200);
        assertThat(first.bodyAsJsonObject().getBoolean("allowed")).isTrue();
        assertThat(first.bodyAsJsonObject().getLong("remaining")).isEqualTo(1);
        assertThat(second.bodyAsJsonObject().getLong("remaining")).isZero();
        JsonObject refused = third.bodyAsJsonObject();
        assertThat(refused.getBoolean("allowed")).isFalse();
        assertThat(refused.getString("rule")).isEqualTo("api");
        assertThat(refused.getLong("limit")).isEqualTo(2);
        // the window ends at the next hour
        assertThat(refused.getLong("retryAfter")).isEqualTo(3600);
        assertThat(refused.getLong("retry_after")).isEqualTo(3600);
        assertThat(refused.getLong("reset"))
                .isEqualTo(DecisionFixture.NOW.plus(Duration.ofHours(1)).getEpochSecond());
        assertThat(third.getHeader("X-RateLimit-Limit")).isEqualTo("2");
        assertThat(third.getHeader("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(third.getHeader("X-RateLimit-Reset"))
                .isEqualTo(refused.getLong("reset").toString());
        assertThat(first.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(check(byKey("api", "job:2")).bodyAsJsonObject().getBoolean("allowed"))
                .as("another key has its own allowance")
                .isTrue();
    }

    @Test
    void permitsTakeThatManyAtOnce() {
        JsonObject two = byKey("api", "job:1").put("permits", 2);
        assertThat(check(two).bodyAsJsonObject().getLong("remaining")).isZero();
        assertThat(check(byKey("api", "job:1")).bodyAsJsonObject().getBoolean("allowed"))
                .isFalse();
        assertThat(check(byKey("api", "job:1").put("permits", 0)).statusCode()).isEqualTo(400);
        assertThat(check(byKey("api", "job:1").put("permits", 1.5)).statusCode())
                .isEqualTo(400);
    }

    @Test
    void aBatchIsAnsweredInOrderWithAnErrorInPlaceOfACheckThatFails() {
        JsonObject batch = new JsonObject()
                .put(
                        "checks",
                        new JsonArray()
                                .add(byKey("api", "job:1"))
                                .add(byKey("api", "job:1"))
                                .add(byKey("api", "job:1"))
                                .add(byKey("nope", "job:1"))
                                .add(new JsonObject().put("rule", "api")));

        HttpResponse<Buffer> response = check(batch);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonArray results = response.bodyAsJsonObject().getJsonArray("results");
        assertThat(results).hasSize(5);
        assertThat(results.getJsonObject(0).getLong("remaining")).isEqualTo(1);
        assertThat(results.getJsonObject(1).getLong("remaining")).isZero();
        assertThat(results.getJsonObject(2).getBoolean("allowed")).isFalse();
        assertThat(results.getJsonObject(3).getInteger("status")).isEqualTo(404);
        assertThat(results.getJsonObject(3).getString("error")).startsWith("unknown rule 'nope'");
        assertThat(results.getJsonObject(4).getInteger("status")).isEqualTo(400);
        assertThat(fixture.events(3)).hasSize(3);
    }

    @Test
    void aBatchOverTheBoundIsRefusedWhole() {
        JsonArray checks = new JsonArray();
        for (int i = 0; i < 101; i++) {
            checks.add(byKey("api", "job:" + i));
        }
        HttpResponse<Buffer> response = check(new JsonObject().put("checks", checks));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("a batch holds 1 to 100 checks, got 101");
        assertThat(fixture.tollgate.metrics().decisions("api", "allowed")).isZero();
    }

    @Test
    void aDescribedRequestIsCountedByTheRulesOwnKeyAndItsNormalizedPath() {
        JsonObject alice = new JsonObject()
                .put("rule", "keyed")
                .put(
                        "request",
                        new JsonObject()
                                .put("path", "/api/./users/%61lice?x=1")
                                .put("method", "post")
                                .put("headers", new JsonObject().put("X-Key", "alice"))
                                .put("address", "203.0.113.5"));
        JsonObject bob = alice.copy();
        bob.getJsonObject("request").getJsonObject("headers").put("X-Key", "bob");

        assertThat(check(alice).bodyAsJsonObject().getBoolean("allowed")).isTrue();
        assertThat(check(alice).bodyAsJsonObject().getBoolean("allowed")).isFalse();
        assertThat(check(bob).bodyAsJsonObject().getBoolean("allowed"))
                .as("another header value, another key")
                .isTrue();

        List<RateLimitEvent> events = fixture.events(3);
        RateLimitEvent first = events.get(0);
        assertThat(first.key()).isEqualTo("header:x-key:alice");
        assertThat(first.path()).isEqualTo("/api/users/alice");
        assertThat(first.method()).isEqualTo("CHECK");
        assertThat(first.ipAddress()).contains("203.0.113.5");
        assertThat(first.userId()).contains("checkout");
        assertThat(events.get(1).allowed()).isFalse();
    }

    @Test
    void anIpRuleCountsTheDescribedAddress() {
        JsonObject from = new JsonObject()
                .put("rule", "by-ip")
                .put("request", new JsonObject().put("path", "/login").put("address", "2001:db8::0:1"));
        JsonObject other = new JsonObject()
                .put("rule", "by-ip")
                .put("request", new JsonObject().put("path", "/login").put("address", "198.51.100.7"));

        assertThat(check(from).bodyAsJsonObject().getBoolean("allowed")).isTrue();
        assertThat(check(from).bodyAsJsonObject().getBoolean("allowed")).isFalse();
        assertThat(check(other).bodyAsJsonObject().getBoolean("allowed")).isTrue();
        assertThat(fixture.events(3).get(0).key()).isEqualTo("ip:2001:db8::1");
        JsonObject badAddress =
                new JsonObject().put("rule", "by-ip").put("request", new JsonObject().put("address", "not-an-ip"));
        assertThat(check(badAddress).statusCode()).isEqualTo(400);
        JsonObject badPath =
                new JsonObject().put("rule", "by-ip").put("request", new JsonObject().put("path", "/a%2Fb"));
        assertThat(check(badPath).statusCode()).isEqualTo(400);
    }

    @Test
    void aShadowRuleNeverRefusesButSaysItWould() {
        JsonObject first = check(byKey("trial", "k")).bodyAsJsonObject();
        JsonObject second = check(byKey("trial", "k")).bodyAsJsonObject();

        assertThat(first.getBoolean("allowed")).isTrue();
        assertThat(first.getBoolean("shadow")).isTrue();
        assertThat(first.getBoolean("shadowBlocked")).isFalse();
        assertThat(second.getBoolean("allowed")).isTrue();
        assertThat(second.getBoolean("shadowBlocked")).isTrue();
        List<RateLimitEvent> events = fixture.events(2);
        assertThat(events).extracting(RateLimitEvent::allowed).containsExactly(true, true);
        assertThat(events).extracting(RateLimitEvent::shadow).containsExactly(false, true);
        assertThat(fixture.tollgate.metrics().decisions("trial", "shadow_blocked"))
                .isEqualTo(1);
    }

    @Test
    void everyDecisionIsAnEventWithMethodCheckAndTheTokensName() {
        check(byKey("api", "job:1"));
        await(post(fixture.gatewayPort, DecisionFixture.BILLING_TOKEN)
                .sendBuffer(byKey("api", "job:1").toBuffer()));
        await(post(fixture.gatewayPort, DecisionFixture.BILLING_TOKEN)
                .sendBuffer(byKey("api", "job:1").toBuffer()));

        List<RateLimitEvent> events = fixture.events(3);
        assertThat(events).extracting(RateLimitEvent::method).containsOnly("CHECK");
        assertThat(events).extracting(e -> e.userId().orElse("")).containsExactly("checkout", "billing", "billing");
        assertThat(events).extracting(RateLimitEvent::key).containsOnly("job:1");
        assertThat(events).extracting(RateLimitEvent::blocked).containsExactly(false, false, true);
        assertThat(fixture.tollgate.metrics().decisions("api", "allowed")).isEqualTo(2);
        assertThat(fixture.tollgate.metrics().decisions("api", "blocked")).isEqualTo(1);
    }

    @Test
    void badInputIsAnsweredWithItsStatusAndAOneLineReason() {
        HttpResponse<Buffer> unknown = check(byKey("nope", "k"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.bodyAsJsonObject().getString("error"))
                .isEqualTo("unknown rule 'nope'; known: api, by-ip, keyed, trial");

        HttpResponse<Buffer> notJson = await(
                post(fixture.gatewayPort, DecisionFixture.CHECKOUT_TOKEN).sendBuffer(Buffer.buffer("{\"rule\": ")));
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.bodyAsJsonObject().getString("error")).isEqualTo("the body is not JSON");

        HttpResponse<Buffer> noKey = check(new JsonObject().put("rule", "api"));
        assertThat(noKey.statusCode()).isEqualTo(400);
        assertThat(noKey.bodyAsJsonObject().getString("error")).doesNotContain("\n");

        HttpResponse<Buffer> array =
                await(post(fixture.gatewayPort, DecisionFixture.CHECKOUT_TOKEN).sendBuffer(Buffer.buffer("[1, 2]")));
        assertThat(array.statusCode()).isEqualTo(400);

        HttpResponse<Buffer> empty =
                await(post(fixture.gatewayPort, DecisionFixture.CHECKOUT_TOKEN).sendBuffer(Buffer.buffer()));
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.bodyAsJsonObject().getString("error")).startsWith("the body is empty");

        HttpResponse<Buffer> form = await(client.post(fixture.gatewayPort, "127.0.0.1", "/ratelimit/v1/check")
                .putHeader("Authorization", "Bearer " + DecisionFixture.CHECKOUT_TOKEN)
                .putHeader("Content-Type", "application/x-www-form-urlencoded")
                .sendBuffer(Buffer.buffer("rule=api&key=k")));
        assertThat(form.statusCode()).isEqualTo(415);

        HttpResponse<Buffer> get = await(client.get(fixture.gatewayPort, "127.0.0.1", "/ratelimit/v1/check")
                .putHeader("Authorization", "Bearer " + DecisionFixture.CHECKOUT_TOKEN)
                .send());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(fixture.tollgate.metrics().decisions("api", "allowed")).isZero();
    }

    @Test
    void aBodyOverTheBoundIsRefusedWith413WhetherItsLengthIsAnnouncedOrNot() {
        String padding = "x".repeat(70 * 1024);
        Buffer big = byKey("api", padding).toBuffer();

        HttpResponse<Buffer> announced =
                await(post(fixture.gatewayPort, DecisionFixture.CHECKOUT_TOKEN).sendBuffer(big));
        assertThat(announced.statusCode()).isEqualTo(413);

        HttpClient http = fixture.vertx.createHttpClient();
        HttpClientResponse chunked = await(http.request(new RequestOptions()
                        .setMethod(HttpMethod.POST)
                        .setHost("127.0.0.1")
                        .setPort(fixture.gatewayPort)
                        .setURI("/ratelimit/v1/check")
                        .putHeader("Content-Type", "application/json")
                        .putHeader("Authorization", "Bearer " + DecisionFixture.CHECKOUT_TOKEN))
                .compose(request -> {
                    request.setChunked(true);
                    for (int i = 0; i < 70; i++) {
                        request.write(Buffer.buffer("x".repeat(1024)));
                    }
                    request.end();
                    return request.response();
                }));
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(fixture.tollgate.metrics().decisions("api", "allowed")).isZero();
    }

    @Test
    void aMissingWrongOrOverlongTokenIsRefusedWith401AndABearerChallenge() {
        HttpResponse<Buffer> missing = await(
                post(fixture.gatewayPort, null).sendBuffer(byKey("api", "k").toBuffer()));
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.getHeader("WWW-Authenticate")).startsWith("Bearer");

        HttpResponse<Buffer> wrong = await(post(fixture.gatewayPort, "not-a-token")
                .sendBuffer(byKey("api", "k").toBuffer()));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.getHeader("WWW-Authenticate")).startsWith("Bearer").contains("invalid_token");
        long hashed = fixture.service.tokens().hashesComputed();
        assertThat(hashed).as("one wrong token, tried against both tokens").isEqualTo(2);

        HttpResponse<Buffer> overlong = await(post(fixture.gatewayPort, "t".repeat(513))
                .sendBuffer(byKey("api", "k").toBuffer()));
        assertThat(overlong.statusCode()).isEqualTo(401);
        assertThat(fixture.service.tokens().hashesComputed())
                .as("a token over 512 bytes is not hashed")
                .isEqualTo(hashed);

        HttpResponse<Buffer> basic = await(client.post(fixture.gatewayPort, "127.0.0.1", "/ratelimit/v1/check")
                .putHeader("Content-Type", "application/json")
                .basicAuthentication("checkout", DecisionFixture.CHECKOUT_TOKEN)
                .sendBuffer(byKey("api", "k").toBuffer()));
        assertThat(basic.statusCode()).isEqualTo(401);
        assertThat(fixture.tollgate.metrics().decisions("api", "allowed")).isZero();
    }

    @Test
    void aVerifiedTokenIsHashedOnceThenRemembered() {
        check(byKey("api", "a"));
        long afterFirst = fixture.service.tokens().hashesComputed();
        for (int i = 0; i < 5; i++) {
            assertThat(check(byKey("trial", "b")).statusCode()).isEqualTo(200);
        }
        assertThat(afterFirst).isEqualTo(1);
        assertThat(fixture.service.tokens().hashesComputed()).isEqualTo(afterFirst);
    }

    @Test
    void manyWrongTokensFromOneAddressAreThrottledWithNoMoreHashesThanTheBound() {
        // verified before the flood: a remembered token still works from a throttled address
        assertThat(check(byKey("trial", "k")).statusCode()).isEqualTo(200);
        long before = fixture.service.tokens().hashesComputed();
        int refused = 0;
        int throttled = 0;
        for (int i = 0; i < 20; i++) {
            HttpResponse<Buffer> response = await(post(fixture.gatewayPort, "wrong-" + i)
                    .sendBuffer(byKey("api", "k").toBuffer()));
            if (response.statusCode() == 401) {
                refused++;
            } else if (response.statusCode() == 429) {
                throttled++;
                assertThat(response.getHeader("Retry-After")).isEqualTo("60");
            }
        }
        // the verified token took one of the address's 3 hashing checks a minute
        assertThat(refused).isEqualTo(2);
        assertThat(throttled).isEqualTo(18);
        assertThat(fixture.service.tokens().hashesComputed() - before)
                .as("2 wrong tokens, each tried against the 2 configured")
                .isEqualTo(4);
        assertThat(check(byKey("trial", "k")).statusCode()).isEqualTo(200);
        HttpResponse<Buffer> newcomer = await(post(fixture.gatewayPort, DecisionFixture.BILLING_TOKEN)
                .sendBuffer(byKey("api", "k").toBuffer()));
        assertThat(newcomer.statusCode())
                .as("a token not yet verified needs hashing, refused while the address is throttled")
                .isEqualTo(429);

        fixture.clock.advance(Duration.ofMinutes(1));
        HttpResponse<Buffer> later = await(post(fixture.gatewayPort, DecisionFixture.BILLING_TOKEN)
                .sendBuffer(byKey("api", "k").toBuffer()));
        assertThat(later.statusCode()).as("a minute later").isEqualTo(200);
    }

    @Test
    void theApiAnswersOnItsOwnListenerToo() {
        fixture.close();
        fixture = new DecisionFixture(options -> options.withPort(Optional.of(0)));
        client = WebClient.create(fixture.vertx);
        int port = fixture.service.port().orElseThrow();
        assertThat(port).isNotEqualTo(fixture.gatewayPort);

        HttpResponse<Buffer> response = await(post(port, DecisionFixture.CHECKOUT_TOKEN)
                .sendBuffer(byKey("api", "k").toBuffer()));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("X-RateLimit-Remaining")).isEqualTo("1");
        assertThat(await(client.get(port, "127.0.0.1", "/ratelimit/dashboard/").send())
                        .statusCode())
                .as("nothing but the API on its own port")
                .isEqualTo(404);
        assertThat(fixture.events(1).get(0).userId()).contains("checkout");
    }

    @Test
    void withoutTokensTheApiIsOffNotOpenAndNothingListens() {
        fixture.close();
        fixture = new DecisionFixture(options ->
                options.withTokens(List.of()).withPort(Optional.of(0)).withBridgePort(Optional.of(0)));
        client = WebClient.create(fixture.vertx);

        HttpResponse<Buffer> response = await(post(fixture.gatewayPort, DecisionFixture.CHECKOUT_TOKEN)
                .sendBuffer(byKey("api", "k").toBuffer()));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.bodyAsJsonObject().getString("error")).contains("decision.tokens");
        assertThat(fixture.service.port()).isEmpty();
        assertThat(fixture.service.bridgePort()).isEmpty();
        assertThat(fixture.tollgate.metrics().decisions("api", "allowed")).isZero();
    }
}
