package dev.tollgate.envoy;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.Tollgate;
import dev.tollgate.limiter.DownLimiterProvider;
import dev.tollgate.limiter.LimiterRegistry;
import dev.tollgate.plugin.SettingsException;
import dev.tollgate.test.support.Await;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vertx.core.Vertx;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A limiter backend that cannot decide: UNAVAILABLE, unless the service fails open. */
class LimiterFailureTest {

    private static final String CONFIG = """
            domain: edge
            descriptors:
              - key: remote_address
                rate_limit: { unit: second, requests_per_unit: 10 }
              - key: canary
                shadow_mode: true
                rate_limit: { unit: second, requests_per_unit: 10 }
            """;

    private final Vertx vertx = Vertx.vertx();
    private final Tollgate tollgate = Tollgate.builder()
            .vertx(vertx)
            .limiters(LimiterRegistry.empty().register(new DownLimiterProvider()))
            .backend(DownLimiterProvider.BACKEND)
            .build();
    private EnvoyRateLimitService service;
    private EnvoyClient envoy;

    private void start(boolean failOpen) {
        service = await(EnvoyRateLimitService.start(
                vertx,
                tollgate,
                EnvoyConfig.parse(Map.of("edge.yaml", CONFIG)),
                EnvoyOptions.defaults().withHost("127.0.0.1").withPort(0).withFailOpen(failOpen)));
        envoy = new EnvoyClient(service.port());
    }

    @AfterEach
    void tearDown() {
        if (envoy != null) {
            envoy.close();
        }
        if (service != null) {
            await(service.close());
        }
        Await.close(vertx);
    }

    @Test
    void failingClosedTheCallIsUnavailable() {
        start(false);

        assertThatThrownBy(() -> envoy.ask("edge", "remote_address", "10.0.0.1"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getStatus().getDescription())
                            .isEqualTo("the limiter of edge.remote_address could not decide");
                });
        assertThat(envoy.ask("edge", "canary", "x").getOverallCode())
                .as("a shadow descriptor never refuses, not even when its limiter fails")
                .isEqualTo(RateLimitResponse.Code.OK);
        assertThat(tollgate.metrics()
                        .registry()
                        .find("tollgate.decisions")
                        .tag("rule", "edge.remote_address")
                        .tag("outcome", "failed")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void failingOpenTheDescriptorIsOkWithoutALimit() {
        start(true);

        RateLimitResponse response = envoy.ask("edge", "remote_address", "10.0.0.1");

        assertThat(response.getOverallCode()).isEqualTo(RateLimitResponse.Code.OK);
        assertThat(response.getStatuses(0).hasCurrentLimit()).isFalse();
    }

    @Test
    void aLimitTheBackendCannotEnforceStopsStartUpNamingWhereItIs() {
        String tokenBucket = CONFIG + "  - key: user\n    algorithm: token-bucket\n"
                + "    rate_limit: { unit: minute, requests_per_unit: 5 }\n";

        Throwable failure = Await.failure(EnvoyRateLimitService.start(
                vertx,
                tollgate,
                EnvoyConfig.parse(Map.of("edge.yaml", tokenBucket)),
                EnvoyOptions.defaults().withHost("127.0.0.1").withPort(0)));

        assertThat(failure).isInstanceOf(SettingsException.class);
        assertThat(failure.getMessage()).startsWith("edge.yaml: descriptors[2].algorithm: ");
    }
}
