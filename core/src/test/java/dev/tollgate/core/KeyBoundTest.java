package dev.tollgate.core;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.ManualClock;
import dev.tollgate.limiter.algorithms.LocalRateLimiter;
import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KeyBoundTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void tearDown() {
        Await.close(vertx);
    }

    @Test
    void aMillionDistinctClientsStayWithinTheConfiguredKeyBound() {
        ManualClock clock = ManualClock.at(Instant.parse("2027-01-01T00:00:00Z"));
        Tollgate tollgate = Tollgate.builder()
                .vertx(vertx)
                .limiterOptions(LimiterOptions.defaults().withClock(clock).withMaxKeys(10_000))
                .rules(List.of(Rule.fromJson(new JsonObject(
                        "{\"name\":\"api\",\"algorithm\":\"token-bucket\",\"limit\":10,\"window\":\"1h\"}"))))
                .build();
        for (int i = 0; i < 1_000_000; i++) {
            String ip = "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
            Verdict verdict = await(tollgate.check(RequestInfo.of("GET", "/api/x", ip)));
            assertThat(verdict.outcome()).isEqualTo(Verdict.Outcome.ALLOWED);
        }
        LocalRateLimiter limiter = (LocalRateLimiter) limiterOf(tollgate);
        assertThat(limiter.trackedKeys()).isLessThanOrEqualTo(10_000);
    }

    private static Object limiterOf(Tollgate tollgate) {
        return tollgate.ruleSet().compiled().get(0).limiter();
    }
}
