package dev.tollgate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.plugin.SettingsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader(Set.of("memory", "postgres"));

    private TollgateConfig load(String yaml, Map<String, String> env) throws IOException {
        Path file = dir.resolve("tollgate.yaml");
        Files.writeString(file, yaml);
        return loader.load(Optional.of(file), env);
    }

    @Test
    void theDesignsExampleLoads() throws IOException {
        TollgateConfig config = load("""
                http: { host: 127.0.0.1, port: 9090 }
                gateway: { upstream: "http://127.0.0.1:9000" }
                limiter:
                  backend: local
                  failOpen: false
                  maxKeys: 1000
                  trustedProxies: ["127.0.0.1/32"]
                  allow: []
                  deny: ["203.0.113.0/24", "user:mallory"]
                rules:
                  - { name: login, path: /api/login, methods: [POST], key: ip,
                      algorithm: sliding-window-log, limit: 10, window: 1m }
                  - { name: api, path: "/api/*", key: "header:X-API-Key",
                      algorithm: token-bucket, limit: 100, window: 1s, burst: 200 }
                events:
                  store: memory
                  memory: { maxEvents: 1000 }
                  batchSize: 10
                alerts: { threshold: 100, days: 1, every: 5m, cooldown: 1h, traffic: { threshold: 10, window: 2m } }
                dashboard: { usersFile: users.properties }
                """, Map.of());
        assertThat(config.httpPort()).isEqualTo(9090);
        assertThat(config.upstream()).map(Object::toString).contains("http://127.0.0.1:9000");
        assertThat(config.settings().under("limiter").bool("failOpen", true)).isFalse();
        assertThat(config.settings().under("limiter").list("deny")).containsExactly("203.0.113.0/24", "user:mallory");
        assertThat(config.rules()).extracting(r -> r.name()).containsExactly("login", "api");
        assertThat(config.rules().get(1).limit().burst()).isEqualTo(200);
        assertThat(config.storeConfig().getInteger("maxEvents")).isEqualTo(1000);
        assertThat(config.recorderOptions().batchSize()).isEqualTo(10);
        assertThat(config.recorderOptions().bufferSize()).as("default").isEqualTo(100_000);
    }

    @Test
    void withoutAFileEverythingHasItsDefault() {
        TollgateConfig config = loader.load(Optional.empty(), Map.of());
        assertThat(config.httpHost()).isEqualTo("0.0.0.0");
        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.upstream()).isEmpty();
        assertThat(config.storeName()).isEqualTo("memory");
        assertThat(config.storeConfig().getInteger("maxEvents")).isEqualTo(5_000_000);
        assertThat(config.limiterBackend()).isEqualTo("local");
        assertThat(config.eventsEnabled()).isTrue();
        assertThat(config.retentionDays()).isEqualTo(30);
    }

    @Test
    void theEnvironmentOverridesTheFile() throws IOException {
        TollgateConfig config = load(
                "http: { port: 9090 }\n",
                Map.of(
                        "TOLLGATE_HTTP_PORT",
                        "9191",
                        "TOLLGATE_EVENTS_BATCH_SIZE",
                        "50",
                        "TOLLGATE_LIMITER_TRUSTEDPROXIES",
                        "10.0.0.0/8, 127.0.0.1",
                        "TOLLGATE_EVENTS_MEMORY_MAX_EVENTS",
                        "77",
                        "PATH",
                        "/usr/bin"));
        assertThat(config.httpPort()).isEqualTo(9191);
        assertThat(config.recorderOptions().batchSize()).isEqualTo(50);
        assertThat(config.settings().under("limiter").list("trustedProxies"))
                .containsExactly("10.0.0.0/8", "127.0.0.1");
        assertThat(config.storeConfig().getValue("maxEvents")).isEqualTo("77");
    }

    @Test
    void anUnknownKeyIsNamedWithTheKnownOnes() {
        assertThatThrownBy(() -> load("http: { prot: 80 }\n", Map.of()))
                .isInstanceOf(SettingsException.class)
                .hasMessage(
                        "http.prot: unknown key; known under http: encodedSlashes, headerTimeout, host, idleTimeout, instances, port, tls");
        assertThatThrownBy(() -> load("htp: { port: 80 }\n", Map.of()))
                .hasMessage(
                        "htp: unknown key; known: accessLog, alerts, cluster, dashboard, decision, events, gateway, http, limiter, logging, management, rules");
        assertThatThrownBy(() -> load("", Map.of("TOLLGATE_HTTP_PROT", "80")))
                .hasMessage(
                        "TOLLGATE_HTTP_PROT: unknown setting; environment variables name a key, as in TOLLGATE_HTTP_PORT for http.port");
    }

    @Test
    void aBadValueIsNamed() {
        assertThatThrownBy(() -> load("http: { port: 70000 }\n", Map.of()))
                .hasMessage("http.port: expected a port between 0 and 65535, got '70000'");
        assertThatThrownBy(() -> load("", Map.of("TOLLGATE_HTTP_PORT", "abc")))
                .hasMessage("TOLLGATE_HTTP_PORT: expected a port between 0 and 65535, got 'abc'");
        assertThatThrownBy(() -> load("limiter: { failOpen: maybe }\n", Map.of()))
                .hasMessage("limiter.failOpen: expected true or false, got 'maybe'");
        assertThatThrownBy(() -> load("gateway: { upstream: localhost:9000 }\n", Map.of()))
                .hasMessage("gateway.upstream: expected an http:// or https:// URL with a host, got 'localhost:9000'");
        assertThatThrownBy(() -> load("alerts: { every: soon }\n", Map.of()))
                .hasMessageStartingWith("alerts.every: invalid duration 'soon'");
    }

    @Test
    void theAccessLogIsOffUntilItHasAPathAndItsSettingsAreChecked() throws IOException {
        assertThat(load("", Map.of()).accessLog()).isEmpty();
        AccessLogOptions options = load("accessLog: { path: logs/access.log, format: csv }\n", Map.of())
                .accessLog()
                .orElseThrow();
        assertThat(options.path()).isEqualTo(dir.resolve("logs/access.log").toString());
        assertThat(options.format()).isEqualTo(AccessLogFormat.CSV);
        assertThat(options.maxBytes()).isEqualTo(100L << 20);
        assertThat(options.keep()).isEqualTo(5);
        assertThat(load("", Map.of("TOLLGATE_ACCESSLOG_PATH", "-"))
                        .accessLog()
                        .orElseThrow()
                        .toStdout())
                .isTrue();
        assertThatThrownBy(() -> load("accessLog: { path: a.log, format: json }\n", Map.of()))
                .hasMessageStartingWith("accessLog.format: ");
        assertThatThrownBy(() ->
                        load("accessLog: { path: a.log, keep: -1 }\n", Map.of()).accessLog())
                .hasMessage("accessLog.keep: expected 0 to 1000 rotated files, got -1");
        assertThatThrownBy(() -> load("accessLog: { path: a.log, maxBytes: 100 }\n", Map.of())
                        .accessLog())
                .hasMessage("accessLog.maxBytes: expected at least 1kb, got 100 bytes");
    }

    @Test
    void aBadRuleIsNamedByItsPlaceInTheList() {
        assertThatThrownBy(() -> load(
                        "rules:\n  - { name: ok, limit: 1, window: 1m }\n  - { name: bad, limit: 5, window: -5s }\n",
                        Map.of()))
                .hasMessage("rules[1].window: invalid duration '-5s': a duration must be positive");
        assertThatThrownBy(() -> load("rules: { name: a }\n", Map.of()))
                .hasMessage("rules: expected a list of rules, as in rules: [ { name: api, ... } ]");
    }

    @Test
    void brokenYamlAndJsonAreReportedWithTheFile() throws IOException {
        Path json = dir.resolve("tollgate.json");
        Files.writeString(json, "{ \"http\": ");
        assertThatThrownBy(() -> loader.load(Optional.of(json), Map.of()))
                .hasMessageStartingWith(json + ": not valid JSON");
        assertThatThrownBy(() -> load("http: [ port\n", Map.of())).hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> loader.load(Optional.of(dir.resolve("missing.yaml")), Map.of()))
                .hasMessage(dir.resolve("missing.yaml") + ": cannot read the configuration file: no such file");
    }

    @Test
    void environmentNamesFollowTheKeys() {
        assertThat(ConfigLoader.envNames("http.port")).containsExactly("TOLLGATE_HTTP_PORT");
        assertThat(ConfigLoader.envNames("events.batchSize"))
                .containsExactly("TOLLGATE_EVENTS_BATCHSIZE", "TOLLGATE_EVENTS_BATCH_SIZE");
    }
}
