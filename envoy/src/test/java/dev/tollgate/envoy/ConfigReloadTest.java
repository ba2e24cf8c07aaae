package dev.tollgate.envoy;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Tollgate;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.ManualClock;
import dev.tollgate.test.support.Await;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.Code;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A directory of files watched: changes are put in force, unchanged limits keep their counts, bad files are not. */
class ConfigReloadTest {

    private static final String EDGE = """
            domain: edge
            descriptors:
              - key: remote_address
                rate_limit: { unit: hour, requests_per_unit: 3 }
            """;

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final Tollgate tollgate = Tollgate.builder()
            .vertx(vertx)
            .limiterOptions(LimiterOptions.defaults().withClock(ManualClock.at(Instant.parse("2027-01-01T00:00:10Z"))))
            .build();
    private EnvoyRateLimitService service;
    private EnvoyClient envoy;

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
    void aChangedDirectoryIsPutInForceAndABrokenFileIsNot() throws IOException {
        Files.writeString(dir.resolve("edge.yaml"), EDGE);
        service = await(EnvoyRateLimitService.start(
                vertx,
                tollgate,
                EnvoyConfig.load(dir),
                EnvoyOptions.defaults().withHost("127.0.0.1").withPort(0)));
        envoy = new EnvoyClient(service.port());
        service.watch(dir, Duration.ofMillis(20));
        assertThat(envoy.ask("edge", "remote_address", "a").getStatuses(0).getLimitRemaining())
                .isEqualTo(2);

        Files.writeString(dir.resolve("broken.yaml"), "domain: [unclosed\n");
        Files.writeString(dir.resolve("messaging.yaml"), """
                domain: messaging
                descriptors:
                  - key: to_number
                    rate_limit: { unit: day, requests_per_unit: 1 }
                """);
        Files.delete(dir.resolve("broken.yaml"));
        Await.until(() -> service.config().domains().contains("messaging"), "the new domain in force");

        assertThat(envoy.ask("messaging", "to_number", "1").getOverallCode()).isEqualTo(Code.OK);
        assertThat(envoy.ask("edge", "remote_address", "a").getStatuses(0).getLimitRemaining())
                .as("an unchanged limit keeps its count")
                .isEqualTo(1);

        Files.writeString(dir.resolve("messaging.yaml"), "domain: messaging\ndescriptors:\n  - key: 7\n    bogus: 1\n");
        Files.writeString(dir.resolve("other.yaml"), "domain: other\n");
        Files.delete(dir.resolve("messaging.yaml"));
        Await.until(
                () -> service.config().domains().contains("other"), "the last good state of the directory in force");
        assertThat(service.config().domains()).containsExactly("edge", "other");
    }
}
