package dev.tollgate.examples;

import static dev.tollgate.examples.Installation.freePort;
import static dev.tollgate.examples.Installation.pluginJar;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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

    private Installation installed;
    private final Map<String, String> javaHome = Map.of("JAVA_HOME", System.getProperty("java.home"));

    @BeforeEach
    void unpack() throws IOException, InterruptedException {
        installed = Installation.unpack("tollgate.distribution", dir);
    }

    @AfterEach
    void stop() throws InterruptedException {
        installed.stop();
    }

    @Test
    void theShippedConfigurationServesAndAPluginDroppedIntoPluginsIsChosenByName() throws Exception {
        Path home = installed.home();
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

        Process serve = installed.start(javaHome, "serve", "--config", config.toString());

        JsonObject health = installed.awaitHealth(serve, port);
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

        Process serve =
                installed.start(javaHome, "serve", "--plugins", elsewhere.toString(), "--config", config.toString());

        JsonObject health = installed.awaitHealth(serve, port);
        assertThat(health.getString("store")).isEqualTo("timed");
        assertThat(health.getJsonArray("rules").encode()).isEqualTo("[\"web\"]");
    }

    @Test
    void pluginsWithoutAFolderIsRefusedSayingWhatItNeeds() throws Exception {
        assertThat(installed.run(javaHome, "serve", "--plugins")).isEqualTo(2);
        assertThat(installed.output()).containsExactly("tollgate: --plugins needs a folder of plugin jars");
    }

    @Test
    void anUnknownStoreNamesTheInstalledOnesAndTheVersionNamesTheBuild() throws Exception {
        Path config = dir.resolve("tollgate.yaml");
        Files.writeString(config, "events: { store: timed }\n");

        assertThat(installed.run(javaHome, "serve", "--config", config.toString()))
                .isEqualTo(2);
        assertThat(String.join("\n", installed.output()))
                .contains("events.store: unknown event store 'timed'; installed: memory, postgres");

        installed.output().clear();
        assertThat(installed.run(javaHome, "--version")).isZero();
        assertThat(installed.output().get(0)).matches("tollgate \\S+ \\(commit [0-9a-f]{7,}\\)");
    }
}
