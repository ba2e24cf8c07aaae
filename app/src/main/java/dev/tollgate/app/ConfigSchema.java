package dev.tollgate.app;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every configuration key Tollgate knows, its kind and its default. Keys are dotted paths; a
 * {@link Kind#SECTION} is a free-form object read by a plugin (a store's or a channel's settings).
 */
final class ConfigSchema {

    enum Kind {
        TEXT,
        CHOICE,
        URL,
        PORT,
        BOOLEAN,
        POSITIVE,
        INTEGER,
        NUMBER,
        DURATION,
        SIZE,
        LIST,
        RULES,
        SECTION
    }

    /** A key; {@code choices} lists the values a {@link Kind#CHOICE} takes. */
    record Key(String path, Kind kind, Object defaultValue, List<String> choices) {}

    static final Map<String, Key> KEYS = new LinkedHashMap<>();

    static {
        key("http.host", Kind.TEXT, "0.0.0.0");
        key("http.port", Kind.PORT, 8080);
        key("http.instances", Kind.POSITIVE, Runtime.getRuntime().availableProcessors());
        key("http.headerTimeout", Kind.DURATION, "10s");
        key("http.idleTimeout", Kind.DURATION, "60s");
        choice("http.encodedSlashes", "reject", "keep");
        key("http.tls.certificate", Kind.TEXT, null);
        key("http.tls.key", Kind.TEXT, null);
        key("management.host", Kind.TEXT, null);
        key("management.port", Kind.PORT, null);
        key("management.paths.health", Kind.TEXT, "/health");
        key("management.paths.metrics", Kind.TEXT, "/metrics");
        key("management.vertxMetrics", Kind.BOOLEAN, true);
        key("gateway.upstream", Kind.URL, null);
        key("gateway.connectTimeout", Kind.DURATION, "5s");
        key("gateway.timeout", Kind.DURATION, "30s");
        key("limiter.backend", Kind.TEXT, "local");
        key("limiter.redis", Kind.SECTION, Map.of("url", "redis://127.0.0.1:6379"));
        key("limiter.failOpen", Kind.BOOLEAN, true);
        key("limiter.maxKeys", Kind.POSITIVE, 1_000_000);
        key("limiter.maxBytes", Kind.SIZE, "25%");
        key("limiter.trustedProxies", Kind.LIST, java.util.List.of());
        choice("limiter.clientAddressHeader", "x-forwarded-for", "forwarded", "x-real-ip");
        key("limiter.allow", Kind.LIST, java.util.List.of());
        key("limiter.deny", Kind.LIST, java.util.List.of());
        key("rules", Kind.RULES, java.util.List.of());
        key("events.enabled", Kind.BOOLEAN, true);
        key("events.store", Kind.TEXT, "memory");
        key(
                "events.memory",
                Kind.SECTION,
                Map.of("maxEvents", 5_000_000, "maxBytes", Runtime.getRuntime().maxMemory() / 4));
        key(
                "events.postgres",
                Kind.SECTION,
                Map.of("url", "postgresql://postgres@127.0.0.1:5432/tollgate", "poolSize", 4));
        key("events.bufferSize", Kind.POSITIVE, 100_000);
        key("events.bufferBytes", Kind.SIZE, "10%");
        key("events.spoolDir", Kind.TEXT, "tollgate-spool");
        key("events.spoolMaxBytes", Kind.SIZE, "1gb");
        key("events.batchSize", Kind.POSITIVE, 1_000);
        key("events.flushInterval", Kind.DURATION, "500ms");
        key("events.retentionDays", Kind.POSITIVE, 30);
        key("events.cleanupEvery", Kind.DURATION, "1h");
        key("alerts.threshold", Kind.INTEGER, 0);
        key("alerts.days", Kind.POSITIVE, 1);
        key("alerts.every", Kind.DURATION, "5m");
        key("alerts.cooldown", Kind.DURATION, "1h");
        key("alerts.channels", Kind.SECTION, Map.of());
        key("alerts.traffic.threshold", Kind.NUMBER, 10);
        key("alerts.traffic.window", Kind.DURATION, "2m");
        key("cluster.name", Kind.TEXT, "tollgate");
        key("cluster.host", Kind.TEXT, "127.0.0.1");
        key("cluster.port", Kind.PORT, 5701);
        key("cluster.members", Kind.LIST, java.util.List.of());
        key("cluster.eventBusPort", Kind.PORT, 0);
        key("accessLog.path", Kind.TEXT, null);
        choice("accessLog.format", "combined", "csv");
        key("accessLog.maxBytes", Kind.SIZE, "100mb");
        key("accessLog.keep", Kind.INTEGER, 5);
        key("accessLog.queueSize", Kind.POSITIVE, 65_536);
        key("dashboard.usersFile", Kind.TEXT, "tollgate-users.properties");
        key("dashboard.templates", Kind.TEXT, null);
        key("dashboard.loginLimit", Kind.POSITIVE, 5);
        key("dashboard.hashConcurrency", Kind.POSITIVE, Runtime.getRuntime().availableProcessors());
        key("dashboard.refusalDelay", Kind.DURATION, "1s");
        key("dashboard.rulesEditable", Kind.BOOLEAN, true);
        choice("logging.level", LogSetup.LEVELS.toArray(String[]::new));
        // Micrometer warns once per start that Vert.x registered one of its gauges again: nothing is lost
        key(
                "logging.levels",
                Kind.SECTION,
                Map.of(
                        "com.hazelcast",
                        "warning",
                        "org.flywaydb",
                        "warning",
                        "io.micrometer.core.instrument.MeterRegistry",
                        "severe"));
        choice("logging.format", "text", "json");
    }

    private ConfigSchema() {}

    private static void key(String path, Kind kind, Object defaultValue) {
        KEYS.put(path, new Key(path, kind, defaultValue, List.of()));
    }

    /** A key that takes one of {@code choices}, the first being its default. */
    private static void choice(String path, String... choices) {
        KEYS.put(path, new Key(path, Kind.CHOICE, choices[0], List.of(choices)));
    }
}
