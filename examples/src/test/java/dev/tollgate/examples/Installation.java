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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A distribution archive unpacked as an operator installs it, with its {@code bin/tollgate} started as a process in
 * the environment a test gives and its output kept.
 */
final class Installation {

    private final Path dir;
    private final Path home;
    private final List<String> output = new CopyOnWriteArrayList<>();
    /** Every process started, with the thread copying its output. */
    private final Map<Process, Thread> started = new ConcurrentHashMap<>();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Installation(Path dir, Path home) {
        this.dir = dir;
        this.home = home;
    }

    /** Unpacks the archive the system property names (the build's {@code mvn verify} packages it) into {@code dir}. */
    static Installation unpack(String property, Path dir) throws IOException, InterruptedException {
        Path archive =
                Paths.get(System.getProperty(property, "")).toAbsolutePath().normalize();
        assertThat(archive)
                .as("%s: the distribution (mvn verify packages it first)", property)
                .isRegularFile();
        Process tar = new ProcessBuilder("tar", "xzf", archive.toString(), "-C", dir.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(tar.waitFor())
                .as(new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isZero();
        Path home;
        try (var entries = Files.list(dir)) {
            home = entries.filter(p -> p.getFileName().toString().startsWith("tollgate-"))
                    .findFirst()
                    .orElseThrow();
        }
        assertThat(home.resolve("bin/tollgate")).isExecutable();
        assertThat(home.resolve("conf/tollgate.yaml")).isRegularFile();
        assertThat(home.resolve("plugins")).isDirectory();
        assertThat(home.resolve("LICENSE")).isRegularFile();
        assertThat(home.resolve("README.md")).isRegularFile();
        return new Installation(dir, home);
    }

    Path home() {
        return home;
    }

    /** What the processes printed, both streams, line by line. */
    List<String> output() {
        return output;
    }

    /**
     * Starts {@code /bin/sh bin/tollgate ARGS} in the unpacked folder's parent with the test's environment, changed by
     * {@code env}: a {@code null} value removes the variable; {@code TOLLGATE_HOME} is always removed.
     */
    Process start(Map<String, String> env, String... args) throws IOException {
        List<String> command =
                new ArrayList<>(List.of("/bin/sh", home.resolve("bin/tollgate").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile());
        Map<String, String> environment = builder.environment();
        environment.remove("TOLLGATE_HOME");
        env.forEach((name, value) -> {
            if (value == null) {
                environment.remove(name);
            } else {
                environment.put(name, value);
            }
        });
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
        started.put(process, reader);
        return process;
    }

    /** Runs {@code bin/tollgate ARGS} to its end and gives its exit code, with all it printed in {@link #output()}. */
    int run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return ended(start(env, args));
    }

    /** Waits for the process to end and for its last line to be read, and gives its exit code. */
    int ended(Process process) throws InterruptedException {
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("bin/tollgate ended; its output: %s", output)
                .isTrue();
        Thread reader = started.get(process);
        reader.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(reader.isAlive()).as("the output was read to its end").isFalse();
        return process.exitValue();
    }

    /** Waits until {@code serve} answers {@code /health} on the port (or ends) and gives the answer. */
    JsonObject awaitHealth(Process serve, int port) {
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

    /** Ends every process it started: SIGTERM, then the kill after 30 s. */
    void stop() throws InterruptedException {
        for (Process process : started.keySet()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    static Path pluginJar() {
        Path jar = Paths.get(System.getProperty("tollgate.pluginJar", ""))
                .toAbsolutePath()
                .normalize();
        assertThat(jar).as("the plugin jar (mvn verify packages it first)").isRegularFile();
        return jar;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
