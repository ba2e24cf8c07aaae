package dev.tollgate.app;

import dev.tollgate.core.ClientAddresses;
import dev.tollgate.core.RecorderOptions;
import dev.tollgate.core.Rule;
import dev.tollgate.limiter.Durations;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
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

    ClientAddresses.Header clientAddressHeader() {
        return ClientAddresses.Header.named(section("limiter").getString("clientAddressHeader"));
    }

    /** Where events wait when the store cannot take them; relative like {@link #usersFile()}. */
    Path spoolDir() {
        return beside(section("events").getString("spoolDir"));
    }

    Optional<URI> upstream() {
        return Optional.ofNullable(section("gateway").getString("upstream")).map(URI::create);
    }

    String limiterBackend() {
        return section("limiter").getString("backend");
    }

    JsonObject limiterBackendConfig() {
        JsonObject section = section("limiter").getJsonObject(limiterBackend());
        return section == null ? new JsonObject() : section;
    }

    boolean failOpen() {
        return section("limiter").getBoolean("failOpen");
    }

    long maxKeys() {
        return section("limiter").getNumber("maxKeys").longValue();
    }

    List<String> trustedProxies() {
        return strings(section("limiter").getJsonArray("trustedProxies"));
    }

    List<String> allow() {
        return strings(section("limiter").getJsonArray("allow"));
    }

    List<String> deny() {
        return strings(section("limiter").getJsonArray("deny"));
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

    int retentionDays() {
        return section("events").getNumber("retentionDays").intValue();
    }

    Duration cleanupEvery() {
        return duration(section("events").getString("cleanupEvery"));
    }

    RecorderOptions recorderOptions() {
        JsonObject events = section("events");
        return RecorderOptions.defaults()
                .withBufferSize(events.getNumber("bufferSize").intValue())
                .withBufferBytes(Sizes.bytes(events.getString("bufferBytes")))
                .withSpoolDir(spoolDir())
                .withSpoolMaxBytes(Sizes.bytes(events.getString("spoolMaxBytes")))
                .withBatchSize(events.getNumber("batchSize").intValue())
                .withFlushInterval(duration(events.getString("flushInterval")));
    }

    JsonObject alerts() {
        return section("alerts");
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

    /** The dashboard's users file; a relative path is relative to the configuration file's folder. */
    Path usersFile() {
        return beside(section("dashboard").getString("usersFile"));
    }

    /** The folder of dashboard templates that replace the shipped ones, relative like {@link #usersFile()}. */
    Optional<Path> dashboardTemplates() {
        return Optional.ofNullable(section("dashboard").getString("templates")).map(this::beside);
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
