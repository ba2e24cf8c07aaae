package dev.tollgate.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.test.support.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment docs/plugins.md describes: {@code java -cp tollgate.jar:PLUGIN.jar dev.tollgate.app.Main serve}
 * in a JVM of its own, the plugin jar this module packaged beside the runnable jar of the app, and a
 * configuration that chooses the plugin's store and channel by name.
 */
class ServeWithPluginsIT {

    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    private Process serve;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() throws InterruptedException {
        if (serve != null) {
            serve.destroy();
            if (!serve.waitFor(30, TimeUnit.SECONDS)) {
                serve.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static Path jar(String property) {
        Path jar = Paths.get(System.getProperty(property, "")).toAbsolutePath().normalize();
        assertThat(jar)
                .as("%s (build with mvn verify, which packages it first)", property)
                .isRegularFile();
        return jar;
    }

    @Test
    void serveChoosesThePluginStoreAndChannelByName() throws Exception {
        Path alerts = dir.resolve("alerts.jsonl");
        Path config = dir.resolve("tollgate.yaml");
        Files.writeString(config, """
                http: { host: 127.0.0.1, port: 0 }
                rules: [ { name: api, path: "/api/*", algorithm: fixed-window, limit: 1, window: 1h } ]
                events:
                  store: timed
                  timed: { store: memory, config: { maxEvents: 10000 }, slowerThan: 1s }
                  batchSize: 1
                  flushInterval: 50ms
                alerts:
                  threshold: 2
                  every: 200ms
                  channels:
                    jsonl: { path: "%s" }
                  traffic: { threshold: 0 }
                """.formatted(alerts.toString().replace("\\", "/")));
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = jar("tollgate.jar") + File.pathSeparator + jar("tollgate.pluginJar");
        serve = new ProcessBuilder(
                        java, "-cp", classpath, "dev.tollgate.app.Main", "serve", "--config", config.toString())
                .redirectErrorStream(true)
                .start();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader lines =
                            new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
                        lines.lines().forEach(output::add);
                    } catch (IOException closed) {
                        // the process ended
                    }
                },
                "serve-output");
        reader.setDaemon(true);
        reader.start();

        eventually(() -> port().isPresent() || !serve.isAlive(), "serve to listen");
        assertThat(serve.isAlive())
                .as("serve is running; its output: %s", output)
                .isTrue();
        int port = port().orElseThrow();

        JsonObject health = new JsonObject(get(port, "/health").body());
        assertThat(health.getString("store")).isEqualTo("timed");
        assertThat(output).anyMatch(line -> line.contains("the timed event store wraps the memory store"));
        assertThat(output).anyMatch(line -> line.contains("channels: jsonl"));

        for (int i = 0; i < 4; i++) {
            get(port, "/api/items");
        }

        eventually(() -> offendersLine(alerts).isPresent(), "the offender alert in " + alerts);
        JsonObject line = offendersLine(alerts).orElseThrow();
        JsonArray offenders = line.getJsonObject("body").getJsonArray("offenders");
        assertThat(line.getString("subject")).isEqualTo("[tollgate] 1 offender(s) alert");
        assertThat(offenders.getJsonObject(0).getString("key")).isEqualTo("ip:127.0.0.1");
        assertThat(offenders.getJsonObject(0).getLong("blocked_count")).isBetween(2L, 3L);
    }

    private Optional<Integer> port() {
        for (String line : output) {
            Matcher matcher = LISTENING.matcher(line);
            if (matcher.find()) {
                return Optional.of(Integer.parseInt(matcher.group(1)));
            }
        }
        return Optional.empty();
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Optional<JsonObject> offendersLine(Path file) {
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            return Files.readAllLines(file).stream()
                    .filter(line -> !line.isBlank())
                    .map(JsonObject::new)
                    .filter(json -> "offenders".equals(json.getString("type")))
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Polls {@code condition} for up to 60 s: a JVM of its own starts slowly on a busy machine. */
    private static void eventually(BooleanSupplier condition, String what) {
        Await.until(condition, what, Duration.ofSeconds(60));
    }
}
