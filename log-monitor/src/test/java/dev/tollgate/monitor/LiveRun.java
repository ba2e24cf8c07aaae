package dev.tollgate.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

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

    /** Waits until {@code condition} holds, failing with {@code what} after {@link #PATIENCE}. */
    void awaitThat(String what, BooleanSupplier condition) {
        awaitThat(what, condition, () -> "stdout:\n" + out() + "\nstderr:\n" + err());
    }

    static void awaitThat(String what, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + PATIENCE.toSeconds() + " s for " + what + "\n" + state.get());
            }
            try {
                TimeUnit.MILLISECONDS.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
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
