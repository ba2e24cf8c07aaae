package dev.tollgate.monitor;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Rule;
import dev.tollgate.core.Tollgate;
import dev.tollgate.events.EventStore;
import dev.tollgate.events.TrafficSummary;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.ManualClock;
import dev.tollgate.store.memory.MemoryEventStore;
import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RuleReplayTest {

    private static final long START = 1_549_573_860L;

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void tearDown() {
        Await.close(vertx);
    }

    @Test
    void aRuleOfTwoPerMinuteOverOneClientBlocksAllButTwoOfItsRequestsInTheMinute() throws Exception {
        StringBuilder log =
                new StringBuilder("\"remotehost\",\"rfc931\",\"authuser\",\"date\",\"request\",\"status\",\"bytes\"\n");
        for (int i = 0; i < 10; i++) {
            log.append("\"10.0.0.9\",\"-\",\"apache\",")
                    .append(START + i)
                    .append(",\"POST /api/login HTTP/1.0\",200,100\n");
        }
        log.append("\"10.0.0.7\",\"-\",\"apache\",")
                .append(START + 5)
                .append(",\"POST /api/login HTTP/1.0\",200,100\n");
        log.append("\"10.0.0.9\",\"-\",\"apache\",")
                .append(START + 61)
                .append(",\"POST /api/login HTTP/1.0\",200,100\n");

        ManualClock clock = ManualClock.atEpochSecond(START);
        Tollgate tollgate = Tollgate.builder()
                .vertx(vertx)
                .limiterOptions(LimiterOptions.defaults().withClock(clock))
                .publishEvents(false)
                .rules(
                        List.of(
                                Rule.fromJson(
                                        new JsonObject(
                                                "{\"name\":\"login\",\"path\":\"/api/login\",\"algorithm\":\"fixed-window\",\"limit\":2,\"window\":\"1m\"}"))))
                .build();
        EventStore store =
                MemoryEventStore.create(vertx, Clock.fixed(Instant.ofEpochSecond(START + 120), ZoneOffset.UTC));
        RuleReplay replay = new RuleReplay(tollgate, clock, Optional.of(store));
        MonitorOptions options = MonitorOptions.builder()
                .recordListener(replay)
                .listener(replay)
                .progress(MonitorOptions.Progress.NEVER)
                .build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = LogMonitor.run(
                options,
                new ByteArrayInputStream(log.toString().getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()));
        assertThat(code).isZero();

        assertThat(replay.blocked("login", "ip:10.0.0.9")).isEqualTo(8);
        assertThat(replay.blocked("login", "ip:10.0.0.7")).isZero();
        assertThat(replay.totals("login")).containsExactly(12, 8);
        TrafficSummary summary = await(store.trafficSummary(1));
        assertThat(summary.total()).isEqualTo(12);
        assertThat(summary.blocked()).isEqualTo(8);
        assertThat(await(store.topOffenders(1, 5)))
                .extracting(o -> o.key() + "=" + o.blockedCount())
                .containsExactly("ip:10.0.0.9=8");

        ByteArrayOutputStream report = new ByteArrayOutputStream();
        replay.report(new PrintStream(report, true, StandardCharsets.UTF_8), 5);
        assertThat(report.toString(StandardCharsets.UTF_8))
                .contains("rule login: 8 of 12 requests would be blocked")
                .containsPattern("ip:10\\.0\\.0\\.9 +8");
    }
}
