package dev.tollgate.app;

import dev.tollgate.core.Rule;
import dev.tollgate.events.EventStoreRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tollgate serve}: the gateway, the limiter and the event log, until stopped. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Run the rate-limiting gateway in front of gateway.upstream (or a demo upstream).")
final class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = Logger.getLogger(ServeCommand.class.getName());

    /** The rules of a first run without a configuration file, so the demo shows limiting at work. */
    static final List<String> DEMO_RULES = List.of(
            "{\"name\":\"login\",\"path\":\"/api/login\",\"methods\":[\"POST\"],\"key\":\"ip\","
                    + "\"algorithm\":\"sliding-window-log\",\"limit\":5,\"window\":\"1m\"}",
            "{\"name\":\"api\",\"path\":\"/api/*\",\"key\":\"ip\",\"algorithm\":\"token-bucket\",\"limit\":5,"
                    + "\"window\":\"1s\",\"burst\":10}");

    @CommandLine.Mixin
    ConfigFile config = new ConfigFile();

    @Option(names = "--demo-traffic", description = "Generate well-behaved and abusive simulated clients.")
    boolean demoTraffic;

    @Option(names = "--cluster", description = "Join the other nodes named by cluster.members (Hazelcast, TCP).")
    boolean cluster;

    private final Map<String, String> env;
    private final AtomicBoolean stopping = new AtomicBoolean();

    ServeCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        TollgateConfig loaded = load(config.file, env);
        loaded.logging().apply();
        // Vert.x's HTTP server and client, Tollgate and the JVM report into this one registry, which /metrics shows
        PrometheusMeterRegistry registry = ServeMetrics.registry();
        Vertx vertx = cluster
                ? ClusterSetup.start(loaded, registry)
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get()
                : ServeMetrics.vertx(Server.vertxOptions(loaded), registry, loaded.vertxMetrics())
                        .build();
        Server server;
        try {
            server = Server.start(vertx, registry, loaded, loader(), demoTraffic)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get();
        } catch (ExecutionException e) {
            vertx.close();
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        if (LogManager.getLogManager() instanceof ServeLogManager logs) {
            // the hook below logs while it stops, and ends the process itself
            logs.keepHandlersAtShutdown();
        }
        // SIGTERM, SIGINT and any other way out (System.exit) run this hook, which stops cleanly
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stop(server, vertx);
                            // a JVM ended by a signal exits with 128 + the signal's number even after a clean
                            // stop; the stop is done, so the exit code says so
                            Runtime.getRuntime().halt(0);
                        },
                        "tollgate-shutdown"));
        // SIGHUP (kill -HUP, systemd's ExecReload) reads the rules again at once instead of ending the process
        Hangup.onSignal(() -> server.watcher()
                .ifPresentOrElse(
                        ConfigWatcher::reloadNow,
                        () -> LOG.info(
                                "SIGHUP: serve runs without a configuration file (--config); nothing to reload")));
        // this thread only keeps the process up: the hook ends it
        new CountDownLatch(1).await();
        return 0;
    }

    /** Stops the gateway, flushes or spools the event buffer, closes the store and Vert.x; at most once. */
    private void stop(Server server, Vertx vertx) {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        LOG.info("stopping: flushing the event buffer");
        try {
            server.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            LOG.info("stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warning("stopping did not finish cleanly: " + e);
        }
    }

    static ConfigLoader loader() {
        return new ConfigLoader(EventStoreRegistry.fromServiceLoader().names());
    }

    /** The configuration of {@code file} and {@code env}; without a file, the demo rules. */
    static TollgateConfig load(Path file, Map<String, String> env) {
        TollgateConfig loaded = loader().load(Optional.ofNullable(file), env);
        if (file == null && loaded.rules().isEmpty()) {
            List<Rule> demo = DEMO_RULES.stream()
                    .map(r -> Rule.fromJson(new JsonObject(r)))
                    .toList();
            return new TollgateConfig(loaded.json(), demo, Optional.empty());
        }
        return loaded;
    }
}
