package dev.tollgate.app;

import dev.tollgate.core.RecorderOptions;
import dev.tollgate.core.Rule;
import dev.tollgate.plugin.Durations;
import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import dev.tollgate.plugin.Sizes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Tollgate's checked configuration, with typed accessors; {@link #json()} is the whole tree with defaults filled in. */
final class TollgateConfig {

    private final JsonObject json;
    private final List<Rule> rules;
    private final Optional<Path> file;

    TollgateConfig(JsonObject json, List<Rule> rules, Optional<Path> file) {
        this.json = json;
        this.rules = List.copyOf(rules);
        this.file = file;
    }

    JsonObject json() {
        return json;
    }

    /** The whole configuration, checked and with defaults, to read a section with {@link Settings#under}. */
    Settings settings() {
        return Settings.of(json);
    }

    Optional<Path> file() {
        return file;
    }

    List<Rule> rules() {
        return rules;
    }

    String httpHost() {
        return section("http").getString("host");
    }

    int httpPort() {
        return section("http").getNumber("port").intValue();
    }

    int httpInstances() {
        return section("http").getNumber("instances").intValue();
    }

    Duration headerTimeout() {
        return duration(section("http").getString("headerTimeout"));
    }

    Duration idleTimeout() {
        return duration(section("http").getString("idleTimeout"));
    }

    boolean keepEncodedSlashes() {
        return section("http").getString("encodedSlashes").equals("keep");
    }

    Duration gatewayConnectTimeout() {
        return duration(section("gateway").getString("connectTimeout"));
    }

    Duration gatewayTimeout() {
        return duration(section("gateway").getString("timeout"));
    }

    long limiterMaxBytes() {
        return Sizes.bytes(section("limiter").getString("maxBytes"));
    }

    /** Where events wait when the store cannot take them; relative like {@link #usersFile()}. */
    Path spoolDir() {
        return beside(section("events").getString("spoolDir"));
    }

    /** The PEM certificate chain and private key to serve TLS with; empty for plain HTTP. */
    Optional<Tls> tls() {
        JsonObject tls = section("http").getJsonObject("tls");
        String certificate = tls == null ? null : tls.getString("certificate");
        String key = tls == null ? null : tls.getString("key");
        if (certificate == null && key == null) {
            return Optional.empty();
        }
        if (certificate == null || key == null) {
            throw new SettingsException(
                    certificate == null ? "http.tls.certificate" : "http.tls.key",
                    "TLS needs both http.tls.certificate and http.tls.key (PEM files)");
        }
        return Optional.of(
                new Tls(readable("http.tls.certificate", beside(certificate)), readable("http.tls.key", beside(key))));
    }

    /** A certificate chain and its key, as PEM files. */
    record Tls(Path certificate, Path key) {}

    /** The port {@code /health} and {@code /metrics} have to themselves; empty: they are on the gateway's port. */
    Optional<Integer> managementPort() {
        return Optional.ofNullable(section("management").getNumber("port")).map(Number::intValue);
    }

    /**
     * Whether Vert.x reports its own meters (HTTP server and client, event bus, pools) into {@code /metrics}; they
     * cost the gateway some CPU on every request, Tollgate's own meters none of it.
     */
    boolean vertxMetrics() {
        return section("management").getBoolean("vertxMetrics");
    }

    String managementHost() {
        String host = section("management").getString("host");
        return host == null ? httpHost() : host;
    }

    String healthPath() {
        return path(
                "management.paths.health",
                section("management").getJsonObject("paths").getString("health"));
    }

    String metricsPath() {
        return path(
                "management.paths.metrics",
                section("management").getJsonObject("paths").getString("metrics"));
    }

    private static String path(String key, String path) {
        if (path == null || !path.startsWith("/") || path.contains("*") || path.contains(" ")) {
            throw new SettingsException(key, "expected a path such as /health, got '" + path + "'");
        }
        return path;
    }

    private static Path readable(String key, Path file) {
        if (!Files.isReadable(file)) {
            throw new SettingsException(key, "cannot read " + file);
        }
        return file;
    }

    Optional<URI> upstream() {
        return Optional.ofNullable(section("gateway").getString("upstream")).map(URI::create);
    }

    String limiterBackend() {
        return section("limiter").getString("backend");
    }

    /** The section of the limiter backend in use ({@code limiter.redis}), for its provider to read. */
    Settings limiterBackendSettings() {
        String backend = limiterBackend();
        return Settings.of("limiter." + backend, section("limiter").getJsonObject(backend));
    }

    long maxKeys() {
        return section("limiter").getNumber("maxKeys").longValue();
    }

    boolean eventsEnabled() {
        return section("events").getBoolean("enabled");
    }

    String storeName() {
        return section("events").getString("store");
    }

    JsonObject storeConfig() {
        JsonObject section = section("events").getJsonObject(storeName());
        return section == null ? new JsonObject() : section.copy();
    }

    /** The chosen store's section, named where it is in the configuration: {@code events.memory}. */
    Settings storeSettings() {
        return Settings.of("events." + storeName(), storeConfig());
    }

    int retentionDays() {
        return section("events").getNumber("retentionDays").intValue();
    }

    Duration cleanupEvery() {
        return duration(section("events").getString("cleanupEvery"));
    }

    RecorderOptions recorderOptions() {
        return RecorderOptions.from(settings().under("events")).withSpoolDir(spoolDir());
    }

    /** The {@code alerts} section: offender alerts' settings, {@code traffic} and {@code channels}. */
    Settings alerts() {
        return Settings.of("alerts", section("alerts"));
    }

    String clusterName() {
        return section("cluster").getString("name");
    }

    String clusterHost() {
        return section("cluster").getString("host");
    }

    int clusterPort() {
        return section("cluster").getNumber("port").intValue();
    }

    List<String> clusterMembers() {
        return strings(section("cluster").getJsonArray("members"));
    }

    int clusterEventBusPort() {
        return section("cluster").getNumber("eventBusPort").intValue();
    }

    /**
     * The access log's settings; empty when {@code accessLog.path} is not set. A relative path is relative like
     * {@link #usersFile()}.
     */
    Optional<AccessLogOptions> accessLog() {
        JsonObject section = section("accessLog");
        String path = section.getString("path");
        if (path == null || path.isBlank()) {
            return Optional.empty();
        }
        long maxBytes = Sizes.bytes(section.getString("maxBytes"));
        if (maxBytes < 1024) {
            throw new SettingsException("accessLog.maxBytes", "expected at least 1kb, got " + maxBytes + " bytes");
        }
        long keep = section.getNumber("keep").longValue();
        if (keep < 0 || keep > 1000) {
            throw new SettingsException("accessLog.keep", "expected 0 to 1000 rotated files, got " + keep);
        }
        long queueSize = section.getNumber("queueSize").longValue();
        if (queueSize > 10_000_000) {
            throw new SettingsException("accessLog.queueSize", "expected at most 10000000 lines, got " + queueSize);
        }
        return Optional.of(new AccessLogOptions(
                path.equals(AccessLogOptions.STDOUT) ? path : beside(path).toString(),
                AccessLogFormat.named(section.getString("format")),
                maxBytes,
                (int) keep,
                (int) queueSize));
    }

    /** The dashboard's users file; a relative path is relative to the configuration file's folder. */
    Path usersFile() {
        return beside(section("dashboard").getString("usersFile"));
    }

    /** The folder of dashboard templates that replace the shipped ones, relative like {@link #usersFile()}. */
    Optional<Path> dashboardTemplates() {
        return Optional.ofNullable(section("dashboard").getString("templates")).map(this::beside);
    }

    /** Failed sign-ins a minute, per client address and per user name, before the dashboard answers 429. */
    int loginLimit() {
        long limit = section("dashboard").getNumber("loginLimit").longValue();
        if (limit > 100_000) {
            throw new SettingsException(
                    "dashboard.loginLimit", "expected at most 100000 failed sign-ins a minute, got " + limit);
        }
        return (int) limit;
    }

    /** How long a sign-in refused as throttled or busy waits for its answer. */
    Duration refusalDelay() {
        Duration delay = duration(section("dashboard").getString("refusalDelay"));
        if (delay.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new SettingsException("dashboard.refusalDelay", "expected at most 1m, got " + delay);
        }
        return delay;
    }

    /** Whether staff may change rules from the dashboard and its API; without, they only see them. */
    boolean rulesEditable() {
        return section("dashboard").getBoolean("rulesEditable");
    }

    /** The most passwords the dashboard checks at once. */
    int hashConcurrency() {
        return (int)
                Math.min(1024, section("dashboard").getNumber("hashConcurrency").longValue());
    }

    /** The levels and format of the logs ({@code logging.*}). */
    LogSetup logging() {
        return LogSetup.from(settings().under("logging"));
    }

    private Path beside(String path) {
        Path parent = file.map(Path::toAbsolutePath).map(Path::getParent).orElse(null);
        return parent == null ? Path.of(path) : parent.resolve(path);
    }

    private JsonObject section(String name) {
        return json.getJsonObject(name);
    }

    private static Duration duration(String text) {
        return Durations.parse(text);
    }

    private static List<String> strings(JsonArray array) {
        return array.stream().map(String::valueOf).toList();
    }
}
