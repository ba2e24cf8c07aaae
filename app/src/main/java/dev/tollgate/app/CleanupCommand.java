package dev.tollgate.app;

import dev.tollgate.events.EventStore;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tollgate cleanup}: prunes the event log of the configured store. */
@Command(
        name = "cleanup",
        mixinStandardHelpOptions = true,
        description = "Delete the events older than DAYS from the configured event store, in batches.")
final class CleanupCommand implements Callable<Integer> {

    @CommandLine.Mixin
    ConfigFile config = new ConfigFile();

    @Option(
            names = "--older-than-days",
            paramLabel = "DAYS",
            description = "Delete events older than this many days (default: events.retentionDays, 30).")
    Integer olderThanDays;

    @Option(names = "--batch-size", paramLabel = "N", description = "Events deleted per batch (default 1000).")
    int batchSize = EventStore.DEFAULT_BATCH_SIZE;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Map<String, String> env;

    CleanupCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        if (olderThanDays != null && olderThanDays < 1) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--older-than-days must be at least 1, got " + olderThanDays);
        }
        if (batchSize < 1) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--batch-size must be at least 1, got " + batchSize);
        }
        TollgateConfig loaded = config.load(env);
        loaded.logging().apply();
        int days = olderThanDays != null ? olderThanDays : loaded.retentionDays();
        Vertx vertx = Vertx.vertx();
        try {
            EventStore store = Blocking.await(ConfiguredStore.openShared(vertx, loaded, "tollgate cleanup"));
            try {
                long deleted = Blocking.await(store.deleteOlderThan(days, batchSize));
                PrintWriter out = spec.commandLine().getOut();
                out.println("deleted " + deleted + " event(s) older than " + days + " day(s) from the "
                        + loaded.storeName() + " event store");
                out.flush();
                return 0;
            } finally {
                Blocking.await(store.close());
            }
        } finally {
            Blocking.await(vertx.close());
        }
    }
}
