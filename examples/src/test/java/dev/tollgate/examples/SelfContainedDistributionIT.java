package dev.tollgate.examples;

import static dev.tollgate.examples.Installation.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tollgate.test.support.Await;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tollgate-VERSION-linux-x64.tar.gz} on a machine without Java: no {@code JAVA_HOME}, no {@code java} on the
 * {@code PATH}, only the runtime the archive brings in {@code runtime/}.
 */
class SelfContainedDistributionIT {

    @TempDir
    Path dir;

    private Installation installed;
    private Map<String, String> noJava;

    @BeforeEach
    void unpack() throws IOException, InterruptedException {
        assumeTrue(
                System.getProperty("os.name").equals("Linux")
                        && System.getProperty("os.arch").equals("amd64"),
                "the self-contained distribution is built for Linux x64 only");
        installed = Installation.unpack("tollgate.selfContained", dir);
        assertThat(installed.home().resolve("runtime/bin/java")).isExecutable();

        // bin/tollgate needs ls, sed and dirname besides the shell's own commands; java is not among them
        Path bin = Files.createDirectories(dir.resolve("bare-path"));
        for (String command : List.of("ls", "sed", "dirname")) {
            Files.createSymbolicLink(bin.resolve(command), Path.of("/usr/bin", command));
        }
        noJava = new HashMap<>();
        noJava.put("PATH", bin.toString());
        noJava.put("JAVA_HOME", null);
        noJava.put("JAVA_OPTS", null);
        ProcessBuilder probe = new ProcessBuilder("/bin/sh", "-c", "command -v java").redirectErrorStream(true);
        probe.environment().put("PATH", bin.toString());
        assertThat(probe.start().waitFor())
                .as("no java on the PATH the tests give")
                .isNotZero();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (installed != null) {
            installed.stop();
        }
    }

    @Test
    void theVersionRunsOnTheRuntimeItBrings() throws Exception {
        assertThat(installed.run(noJava, "--version")).isZero();
        assertThat(installed.output().get(0)).matches("tollgate \\S+ \\(commit [0-9a-f]{7,}\\)");
    }

    @Test
    void serveLimitsThroughTheGatewayReloadsOnSighupAndSigtermEndsWithZeroAfterTheFlush() throws Exception {
        int port = freePort();
        Path config = dir.resolve("tollgate.yaml");
        Files.writeString(config, """
                http: { host: 127.0.0.1, port: %d }
                rules: [ { name: api, path: "/api/*", limit: 2, window: 1h } ]
                """.formatted(port));
        Process serve = installed.start(noJava, "serve", "--config", config.toString());

        JsonObject health = installed.awaitHealth(serve, port);
        assertThat(health.getString("status")).isEqualTo("UP");
        HttpClient http = HttpClient.newHttpClient();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/items"))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode());
        }
        assertThat(statuses).containsExactly(200, 200, 429);

        // SIGHUP, as systemd's ExecReload sends it, reads the rules again instead of ending serve
        Process hangup = new ProcessBuilder("kill", "-HUP", Long.toString(serve.pid())).start();
        assertThat(hangup.waitFor()).isZero();
        Await.until(
                () -> installed.output().stream()
                        .anyMatch(line -> line.endsWith("rules in " + config + " unchanged: 1 rule(s) in force")),
                "serve to say the rules are unchanged",
                Await.CONDITION_LIMIT,
                () -> String.join("\n", installed.output()));
        assertThat(serve.isAlive()).isTrue();

        // SIGTERM through the handle: Process.destroy() would also close the pipe the last lines come through
        assertThat(serve.toHandle().destroy()).isTrue();
        assertThat(installed.ended(serve))
                .as(String.join("\n", installed.output()))
                .isZero();
        assertThat(installed.output())
                .anyMatch(line -> line.endsWith("stopping: flushing the event buffer"))
                .anyMatch(line -> line.endsWith("stopped"));
    }
}
