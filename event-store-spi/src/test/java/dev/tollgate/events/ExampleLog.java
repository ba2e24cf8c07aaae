package dev.tollgate.events;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The event log of docs/analytics.md, at {@link #NOW}: {@code ip:203.0.113.5} blocked 6 times, {@code user:42}
 * twice, {@code ip:198.51.100.7} once 3 days ago, {@code ip:192.0.2.44} allowed once without a rule, and
 * {@code ip:192.0.2.80} served 4 times under the shadow rule {@code export-trial}, which would have refused the last
 * 2. The stores' analytics examples and the dashboard's tests read the same log.
 */
public final class ExampleLog {

    /** The moment the log is read at. */
    public static final Instant NOW = Instant.parse("2026-03-15T12:00:00Z");

    private ExampleLog() {}

    /** The events, oldest of each group first. */
    public static List<RateLimitEvent> events() {
        List<RateLimitEvent> events = new ArrayList<>();
        Instant burst = NOW.minus(Duration.ofHours(5));
        for (int i = 0; i < 12; i++) {
            events.add(
                    event(burst.plusSeconds(i * 4L), "ip:203.0.113.5", "login", "/api/login", "POST", i < 10, i + 1));
        }
        for (int i = 0; i < 3; i++) {
            events.add(event(
                    NOW.minus(Duration.ofMinutes(42)).plusMillis(i * 250L),
                    "ip:203.0.113.5",
                    "login",
                    "/api/login",
                    "POST",
                    false,
                    13 + i));
        }
        events.add(event(NOW.minus(Duration.ofMinutes(40)), "ip:203.0.113.5", "api", "/api/orders", "GET", false, 101));
        for (int i = 0; i < 6; i++) {
            events.add(event(
                    NOW.minus(Duration.ofHours(20)).plusSeconds(i),
                    "user:42",
                    "api",
                    "/api/orders",
                    "GET",
                    i < 4,
                    97 + i));
        }
        events.add(event(NOW.minus(Duration.ofDays(3)), "ip:198.51.100.7", "api", "/api/search", "GET", false, 101));
        events.add(event(NOW.minus(Duration.ofHours(2)), "ip:192.0.2.44", "", "/health", "GET", true, 0));
        for (int i = 0; i < 4; i++) {
            events.add(event(
                            NOW.minus(Duration.ofHours(3)).plusSeconds(i),
                            "ip:192.0.2.80",
                            "export-trial",
                            "/api/export",
                            "GET",
                            true,
                            i + 1)
                    .toBuilder()
                    .limit(2)
                    .shadow(i >= 2)
                    .build());
        }
        return events;
    }

    /**
     * An event of the log's kind: limit 10; a {@code user:} key comes from 198.51.100.20, an {@code ip:} key from its
     * address.
     */
    public static RateLimitEvent event(
            Instant at, String key, String rule, String path, String method, boolean allowed, long count) {
        RateLimitEvent.Builder event = RateLimitEvent.builder()
                .timestamp(at)
                .key(key)
                .ruleName(rule)
                .path(path)
                .method(method)
                .allowed(allowed)
                .count(count)
                .limit(10);
        if (key.startsWith("user:")) {
            event.userId(key.substring("user:".length())).ipAddress("198.51.100.20");
        } else if (key.startsWith("ip:")) {
            event.ipAddress(key.substring("ip:".length()));
        }
        return event.build();
    }
}
