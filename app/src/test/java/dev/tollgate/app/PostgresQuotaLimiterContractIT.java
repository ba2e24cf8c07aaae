package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.RequestInfo;
import dev.tollgate.core.Rule;
import dev.tollgate.core.StoredQuotaLimiter;
import dev.tollgate.core.Tollgate;
import dev.tollgate.core.Verdict;
import dev.tollgate.events.EventStore;
import dev.tollgate.events.EventStoreRegistry;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.ManualClock;
import dev.tollgate.limiter.NanoClock;
import dev.tollgate.limiter.QuotaLimiter;
import dev.tollgate.limiter.QuotaLimiterContract;
import dev.tollgate.limiter.QuotaPeriod;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.limiter.spi.LimiterProvider;
import dev.tollgate.plugin.Settings;
import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The quota contract suite on quota counts kept by the PostgreSQL store ({@link StoredQuotaLimiter}: quota rules on
 * the {@code local} limiter backend with {@code events.store: postgres}), in a database of its own; and a Tollgate
 * restarted on the same database carrying on with the counts.
 */
class PostgresQuotaLimiterContractIT extends QuotaLimiterContract {

    private final Vertx vertx = Vertx.vertx();
    private final String database =
            "tollgate_quota_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final ManualClock storeClock = ManualClock.at(START);
    private EventStore store;

    @BeforeAll
    void createTheDatabase() {
        PostgresAdmin.run(vertx, "CREATE DATABASE " + database);
        store = await(EventStoreRegistry.fromServiceLoader()
                .create(
                        "postgres",
                        vertx,
                        Settings.of(
                                "events.postgres",
                                new JsonObject().put("url", "postgresql://postgres@127.0.0.1:5432/" + database)),
                        Clock.fixed(START.plusSeconds(3600 * 24 * 365 * 3), ZoneOffset.UTC)));
    }

    @AfterAll
    void dropTheDatabase() {
        try {
            await(store.close());
            PostgresAdmin.run(vertx, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } finally {
            Await.close(vertx);
        }
    }

    @Override
    protected LimiterProvider provider() {
        return new LimiterProvider() {
            @Override
            public String name() {
                return QuotaLimiter.ALGORITHM;
            }

            @Override
            public String backend() {
                return "local";
            }

            @Override
            public RateLimiter create(LimitSpec spec, LimiterOptions options) {
                return StoredQuotaLimiter.create(spec, options, store);
            }
        };
    }

    @Override
    protected LimiterOptions options(NanoClock clock, String scope) {
        return LimiterOptions.defaults().withClock(clock).withScope(scope);
    }

    @Override
    protected boolean keepsCountsAcrossInstances() {
        return true;
    }

    @Test
    void aRestartedTollgateOnTheSameDatabaseCarriesOnWithTheCounts() {
        List<Rule> rules = List.of(Rule.fromJson(new JsonObject("""
                {"name": "daily", "path": "/api/*", "kind": "quota", "limit": 3, "period": "day"}""")));
        Tollgate before = Tollgate.builder()
                .vertx(vertx)
                .store(store)
                .limiterOptions(LimiterOptions.defaults().withClock(storeClock))
                .rules(rules)
                .build();
        RequestInfo request = RequestInfo.of("GET", "/api/orders", "203.0.113.5");
        for (int i = 0; i < 2; i++) {
            assertThat(await(before.check(request)).outcome()).isEqualTo(Verdict.Outcome.ALLOWED);
        }
        Tollgate after = Tollgate.builder()
                .vertx(vertx)
                .store(store)
                .limiterOptions(LimiterOptions.defaults().withClock(storeClock))
                .rules(rules)
                .build();
        assertThat(await(after.quotaUsage("ip:203.0.113.5")))
                .singleElement()
                .satisfies(usage -> assertThat(usage.used()).isEqualTo(2));
        assertThat(await(after.check(request)).outcome()).isEqualTo(Verdict.Outcome.ALLOWED);
        Verdict refused = await(after.check(request));
        assertThat(refused.outcome()).isEqualTo(Verdict.Outcome.LIMITED);
        assertThat(refused.retryAfterSeconds()).isEqualTo(24 * 3600);
    }

    @Test
    void deletingOldEventsDeletesTheCountsOfEndedPeriods() {
        StoredQuotaLimiter limiter = (StoredQuotaLimiter) provider()
                .create(
                        QuotaLimiter.spec(5, QuotaPeriod.daily(), 1),
                        options(ManualClock.at(Instant.parse("2027-01-01T12:00:00Z")), "ended"));
        await(limiter.acquire(key("ended"), 2));
        // the store's clock stands three years on: that day has ended
        await(store.deleteOlderThan(30));
        assertThat(await(limiter.peek(key("ended"))).count()).isZero();
    }

    @Test
    void deletingOldEventsDeletesTheDaysThatLeftARollingWindow() {
        QuotaPeriod window = QuotaPeriod.parse("3d", ZoneOffset.UTC);
        ManualClock clock = ManualClock.at(Instant.parse("2027-01-01T12:00:00Z"));
        StoredQuotaLimiter limiter = (StoredQuotaLimiter) provider()
                .create(QuotaLimiter.spec(5, window, 1), options(clock, "left").withQuotaPeriod(window));
        await(limiter.acquire(key("left"), 2));
        clock.set(Instant.parse("2027-01-02T12:00:00Z"));
        await(limiter.acquire(key("left"), 1));
        assertThat(await(limiter.peek(key("left"))).count()).isEqualTo(3);
        clock.set(Instant.parse("2027-01-04T12:00:00Z"));
        assertThat(await(limiter.peek(key("left"))).count())
                .as("the 1st has left the window")
                .isEqualTo(1);
        // the store's clock stands three years on: both days have left every window
        await(store.deleteOlderThan(30));
        assertThat(await(limiter.peek(key("left"))).count()).isZero();
    }
}
