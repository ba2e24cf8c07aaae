package dev.tollgate.app;

import dev.tollgate.test.support.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code tollgate serve} in a process of its own, on this test's class path: for what only a whole process
 * shows — a small heap filling up, a SIGTERM, a restart.
 */
final class ServeProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Tollgate listening on http://[^:]+:(\\d+)");

    private final Process process;
    private final Path log;
    private int port;

    private ServeProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code serve --config config} with {@code jvmOptions}, its output in {@code log}. */
    static ServeProcess start(Path config, Path log, String... jvmOptions) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                "dev.tollgate.app.Main",
                "serve",
                "--config",
                config.toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new ServeProcess(process, log);
    }

    /** Waits until the server says where it listens; fails with its output when it stops instead. */
    ServeProcess awaitListening() {
        Await.until(
                () -> listeningPort() > 0 || !process.isAlive(),
                "serve to listen",
                Duration.ofSeconds(90),
                this::output);
        if (!process.isAlive()) {
            throw new AssertionError("serve stopped with " + process.exitValue() + ":\n" + output());
        }
        port = listeningPort();
        return this;
    }

    /** The port of the last "listening" line in the output so far, -1 before there is one. */
    private int listeningPort() {
        Matcher matcher = LISTENING.matcher(output());
        int found = -1;
        while (matcher.find()) {
            found = Integer.parseInt(matcher.group(1));
        }
        return found;
    }

    int port() {
        return port;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the process wrote so far. */
    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Sends SIGTERM and waits for the exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("serve did not stop within 90 s of SIGTERM:\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
