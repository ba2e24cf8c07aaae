package dev.tollgate.limiter.redis;

import dev.tollgate.test.support.Await;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} of a test's own, on a free loopback port, run as a child process so the
 * test can kill it and start it again on the same port. Nothing is saved to disk. Closing it kills it.
 */
final class RedisServerProcess implements AutoCloseable {

    private static final Duration READY_WITHIN = Duration.ofSeconds(10);

    private final int port;
    private final Path dir;
    private final Thread reaper = new Thread(this::killQuietly, "redis-server-reaper");
    private Process process;

    private RedisServerProcess(int port, Path dir) {
        this.port = port;
        this.dir = dir;
        // a test run that dies half-way must not leave a server behind
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Starts a server on a free port and waits until it answers {@code PING}. */
    static RedisServerProcess start() {
        try {
            RedisServerProcess server = new RedisServerProcess(freePort(), Files.createTempDirectory("tollgate-redis"));
            server.launch();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Kills the server, as a crash would. */
    synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server on port " + port + " did not die");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        process = null;
    }

    /** Starts the server again on the same port, empty. */
    void restart() {
        kill();
        launch();
    }

    @Override
    public void close() {
        kill();
        Runtime.getRuntime().removeShutdownHook(reaper);
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void killQuietly() {
        Process running = process;
        if (running != null) {
            running.destroyForcibly();
        }
    }

    private synchronized void launch() {
        ProcessBuilder builder = new ProcessBuilder(
                        "redis-server",
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--daemonize",
                        "no",
                        "--dir",
                        dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile());
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot run redis-server (is Redis installed? apt-get install redis-server)", e);
        }
        Process started = process;
        boolean ready = false;
        try {
            Await.until(
                    () -> !started.isAlive() || answersPing(),
                    "redis-server on port " + port + " to answer PING",
                    READY_WITHIN,
                    () -> "see " + dir.resolve("redis.log"));
            ready = started.isAlive();
        } finally {
            if (!ready) {
                kill();
            }
        }
        if (!ready) {
            throw new IllegalStateException(
                    "redis-server on port " + port + " did not start; see " + dir.resolve("redis.log"));
        }
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = in.readNBytes(7);
            return "+PONG\r\n".equals(new String(answer, StandardCharsets.US_ASCII));
        } catch (IOException notYet) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
