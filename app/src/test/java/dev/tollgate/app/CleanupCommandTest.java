package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.events.TrafficSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CleanupCommandTest {

    private static final String NL = System.lineSeparator();

    @TempDir
    Path dir;

    private Path config;

    @BeforeEach
    void setUp() throws IOException {
        SharedEventStoreProvider.reset();
        config = dir.resolve("tollgate.yaml");
        Files.writeString(config, "events: { store: shared, retentionDays: 30 }\n");
        List<RateLimitEvent> events = new ArrayList<>();
        for (int days : new int[] {40, 35, 31, 10, 1}) {
            events.add(RateLimitEvent.builder()
                    .timestamp(Instant.now().minus(Duration.ofDays(days)))
                    .key("k")
                    .path("/")
                    .method("GET")
                    .allowed(true)
                    .count(1)
                    .limit(10)
                    .build());
        }
        await(SharedEventStoreProvider.store().append(events));
    }

    @Test
    void deletesTheEventsOlderThanTheRetentionAndSaysHowMany() {
        AlertsCommandTest.Run run = AlertsCommandTest.run("cleanup", "--config", config.toString());

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("deleted 3 event(s) older than 30 day(s) from the shared event store" + NL);
        assertThat(await(SharedEventStoreProvider.store().trafficSummary(3650)))
                .isEqualTo(TrafficSummary.of(3650, 2, 0));
    }

    @Test
    void theAgeAndBatchSizeComeFromTheFlags() {
        AlertsCommandTest.Run run = AlertsCommandTest.run(
                "cleanup", "--config", config.toString(), "--older-than-days", "5", "--batch-size", "1");

        assertThat(run.out()).isEqualTo("deleted 4 event(s) older than 5 day(s) from the shared event store" + NL);
        assertThat(AlertsCommandTest.run("cleanup", "--config", config.toString())
                        .out())
                .isEqualTo("deleted 0 event(s) older than 30 day(s) from the shared event store" + NL);
    }

    @Test
    void refusesTheMemoryStoreWhichLivesInsideServe() throws IOException {
        Path memory = dir.resolve("memory.yaml");
        Files.writeString(memory, "events: { store: memory, retentionDays: 30 }\n");

        AlertsCommandTest.Run run = AlertsCommandTest.run("cleanup", "--config", memory.toString());

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err())
                .isEqualTo("tollgate: configuration error: events.store: memory lives inside a running serve, so "
                        + "tollgate cleanup would see none of its events; alerts and cleanup need a store shared "
                        + "with serve, such as postgres (events.store: postgres) or a third-party store" + NL);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void badFlagsExitWithTwo() {
        AlertsCommandTest.Run days = AlertsCommandTest.run("cleanup", "--older-than-days", "0");
        AlertsCommandTest.Run batch = AlertsCommandTest.run("cleanup", "--batch-size", "0");

        assertThat(days.code()).isEqualTo(2);
        assertThat(days.err()).startsWith("tollgate: --older-than-days must be at least 1, got 0" + NL);
        assertThat(batch.code()).isEqualTo(2);
        assertThat(batch.err()).startsWith("tollgate: --batch-size must be at least 1, got 0" + NL);
    }
}
