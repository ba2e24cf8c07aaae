package dev.tollgate.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.test.support.Await;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
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
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution as an operator installs it: {@code tollgate-VERSION.tar.gz} unpacked, a plugin installed by copying
 * its jar into {@code plugins/} (or named with {@code --plugins DIR}), {@code bin/tollgate serve} started with the
 * Java runtime given by {@code JAVA_HOME}, and {@code /health} asked.
 */
class DistributionIT {

    @TempDir
    Path dir;

    private Path home;
    private Process serve;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void unpack() throws IOException, InterruptedException {
        Path archive = Paths.get(System.getProperty("tollgate.distribution", ""))
                .toAbsolutePath()
                .normalize();
        assertThat(archive)
                .as("the distribution (mvn verify packages it first)")
                .isRegularFile();
        Process tar = new ProcessBuilder("tar", "xzf", archive.toString(), "-C", dir.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(tar.waitFor())
                .as(new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isZero();
        try (var entries = Files.list(dir)) {
            home = entries.filter(p -> p.getFileName().toString().startsWith("tollgate-"))
                    .findFirst()
                    .orElseThrow();
        }
        assertThat(home.resolve("bin/tollgate")).isExecutable();
        assertThat(home.resolve("conf/tollgate.yaml")).isRegularFile();
        assertThat(home.resolve("plugins")).isDirectory();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (serve != null) {
            serve.destroy();
            if (!serve.waitFor(30, TimeUnit.SECONDS)) {
                serve.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theShippedConfigurationServesAndAPluginDroppedIntoPluginsIsChosenByName() throws Exception {
        Files.copy(pluginJar(), home.resolve("plugins").resolve(pluginJar().getFileName()));
        Path config = home.resolve("conf/tollgate.yaml");
        int port = freePort();
        String shipped = Files.readString(config);
        assertThat(shipped).contains("  port: 8080\n", "  host: 0.0.0.0\n", "  store: memory ");
        Files.writeString(
                config,
                shipped.replace("  port: 8080\n", "  port: " + port + "\n")
                        .replace("  host: 0.0.0.0\n", "  host: 127.0.0.1\n")
                        .replace("  store: memory ", "  timed: { store: memory }\n  store: timed "));

        serve = start(Map.of(), "serve", "--config", config.toString());

        JsonObject health = awaitHealth(port);
        assertThat(health.getString("status")).isEqualTo("UP");
        assertThat(health.getString("store")).isEqualTo("timed");
        assertThat(health.getJsonArray("rules").encode()).isEqualTo("[\"api\"]");
    }

    @Test
    void pluginsMayComeFromAFolderNamedOnTheCommandLine() throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("more-plugins"));
        Files.copy(pluginJar(), elsewhere.resolve(pluginJar().getFileName()));
        Path config = dir.resolve("tollgate.yaml");
        int port = freePort();
        Files.writeString(config, """
                http: { host: 127.0.0.1, port: %d }
                rules: [ { name: web, path: "/*", key: "cookie:session", limit: 5, window: 1m } ]
                events: { store: timed, timed: { store: memory } }
                """.formatted(port));

        serve = start(Map.of(), "serve", "--plugins", elsewhere.toString(), "--config", config.toString());

        JsonObject health = awaitHealth(port);
        assertThat(health.getString("store")).isEqualTo("timed");
        assertThat(health.getJsonArray("rules").encode()).isEqualTo("[\"web\"]");
    }

    @Test
    void anUnknownStoreNamesTheInstalledOnesAndTheVersionNamesTheBuild() throws Exception {
        Path config = dir.resolve("tollgate.yaml");
        Files.writeString(config, "events: { store: timed }\n");

        Process refused = start(Map.of(), "serve", "--config", config.toString());
        assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(refused.exitValue()).isEqualTo(2);
        assertThat(String.join("\n", output))
                .contains("events.store: unknown event store 'timed'; installed: memory, postgres");

        output.clear();
        Process version = start(Map.of(), "--version");
        assertThat(version.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(version.exitValue()).isZero();
        Await.until(() -> !output.isEmpty(), "the version line");
        assertThat(output.get(0)).startsWith("tollgate ");
    }

    private Process start(Map<String, String> env, String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(
                List.of("sh", home.resolve("bin/tollgate").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("TOLLGATE_HOME");
        builder.environment().putAll(env);
        Process process = builder.start();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader lines = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        lines.lines().forEach(output::add);
                    } catch (IOException closed) {
                        // the process ended
                    }
                },
                "tollgate-output");
        reader.setDaemon(true);
        reader.start();
        return process;
    }

    private JsonObject awaitHealth(int port) {
        Await.until(
                () -> health(port) != null || !serve.isAlive(),
                "bin/tollgate serve to answer /health",
                Duration.ofSeconds(90),
                () -> String.join("\n", output));
        assertThat(serve.isAlive())
                .as("serve is running; its output: %s", output)
                .isTrue();
        return health(port);
    }

    private JsonObject health(int port) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? new JsonObject(response.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static Path pluginJar() {
        Path jar = Paths.get(System.getProperty("tollgate.pluginJar", ""))
                .toAbsolutePath()
                .normalize();
        assertThat(jar).as("the plugin jar (mvn verify packages it first)").isRegularFile();
        return jar;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
