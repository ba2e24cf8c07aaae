package dev.tollgate.core;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.DownLimiterProvider;
import dev.tollgate.limiter.LimiterRegistry;
import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FailingLimiterTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void tearDown() {
        Await.close(vertx);
    }

    private Tollgate tollgate(boolean failOpen) {
        return Tollgate.builder()
                .vertx(vertx)
                .limiters(LimiterRegistry.empty().register(new DownLimiterProvider()))
                .backend(DownLimiterProvider.BACKEND)
                .failOpen(failOpen)
                .rules(List.of(Rule.fromJson(new JsonObject(
                        "{\"name\":\"api\",\"algorithm\":\"fixed-window\",\"limit\":1,\"window\":\"1m\"}"))))
                .build();
    }

    @Test
    void failingOpenLetsTheRequestThroughAndCountsTheFailure() {
        Tollgate tollgate = tollgate(true);
        Verdict verdict = await(tollgate.check(RequestInfo.of("GET", "/x", "192.0.2.1")));
        assertThat(verdict.outcome()).isEqualTo(Verdict.Outcome.ALLOWED);
        assertThat(verdict.event()).get().extracting(e -> e.allowed()).isEqualTo(true);
        assertThat(tollgate.metrics().decisions("api", "failed")).isEqualTo(1);
        assertThat(tollgate.metrics().prometheus()).contains("tollgate_limiter_failures_total 1.0\n");
    }

    @Test
    void failingClosedAnswersUnavailable() {
        Verdict verdict = await(tollgate(false).check(RequestInfo.of("GET", "/x", "192.0.2.1")));
        assertThat(verdict.outcome()).isEqualTo(Verdict.Outcome.UNAVAILABLE);
        assertThat(verdict.outcome().status()).isEqualTo(503);
        assertThat(verdict.event()).get().extracting(e -> e.allowed()).isEqualTo(false);
    }

    @Test
    void anUnknownBackendIsRefusedAtStartWithTheKnownOnes() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Tollgate.builder()
                        .vertx(vertx)
                        .limiters(LimiterRegistry.fromServiceLoader())
                        .limiter(Settings.of("limiter", new JsonObject().put("backend", "redis")))
                        .build())
                .isInstanceOf(SettingsException.class)
                .hasMessage("limiter.backend: unknown limiter backend 'redis'; known: local");
    }

    @Test
    void aLimiterSectionChangesOnlyWhatItNames() {
        Tollgate tollgate = Tollgate.builder()
                .vertx(vertx)
                .deny(java.util.List.of("192.0.2.0/24"))
                .limiter(Settings.of("limiter", new JsonObject().put("failOpen", false)))
                .build();
        assertThat(await(tollgate.check(RequestInfo.of("GET", "/x", "192.0.2.1")))
                        .outcome())
                .isEqualTo(Verdict.Outcome.DENIED);

        Tollgate cleared = Tollgate.builder()
                .vertx(vertx)
                .deny(java.util.List.of("192.0.2.0/24"))
                .limiter(Settings.of("limiter", new JsonObject().put("deny", new io.vertx.core.json.JsonArray())))
                .build();
        assertThat(await(cleared.check(RequestInfo.of("GET", "/x", "192.0.2.1")))
                        .outcome())
                .isEqualTo(Verdict.Outcome.UNCHECKED);
    }
}
