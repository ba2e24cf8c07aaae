package dev.tollgate.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.test.support.Await;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A monitor running on its own thread while the test feeds it, with bounded waits for what it prints. */
final class LiveRun implements AutoCloseable {

    static final Duration PATIENCE = Duration.ofSeconds(20);

    private final LogMonitor monitor;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final CompletableFuture<Integer> exit;

    LiveRun(MonitorOptions options, InputStream stdin) {
        monitor = LogMonitor.create(options);
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        exit = CompletableFuture.supplyAsync(() -> monitor.run(stdin, o, e));
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Waits until {@code condition} holds, failing with {@code what} and the output so far after {@link #PATIENCE}. */
    void awaitThat(String what, BooleanSupplier condition) {
        Await.until(condition, what, PATIENCE, () -> "stdout:\n" + out() + "\nstderr:\n" + err());
    }

    /** Waits for the run to end by itself and returns its exit code. */
    int awaitExit() throws Exception {
        return exit.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    /** Stops the run and returns its exit code. */
    int stop() throws Exception {
        monitor.stop();
        return awaitExit();
    }

    @Override
    public void close() {
        monitor.stop();
        assertThat(exit).succeedsWithin(PATIENCE);
    }
}
