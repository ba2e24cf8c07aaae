package dev.tollgate.app;

import dev.tollgate.core.Rule;
import dev.tollgate.core.Tollgate;
import dev.tollgate.core.TollgateMetrics;
import dev.tollgate.events.EventStore;
import dev.tollgate.limiter.MemoryBudget;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * {@code /health} and {@code /metrics}, at the paths {@code management.paths} gives them: on the gateway's
 * port by default, or on a listener of their own ({@code management.port}), and then not on the gateway's
 * port at all, so the upstream's own {@code /health} is reachable through the gateway.
 */
final class Probes {

    private static final Logger LOG = Logger.getLogger(Probes.class.getName());

    private final Tollgate tollgate;
    private final TollgateConfig config;
    private final MemoryBudget budget;
    private final Optional<EventStore> store;
    private volatile int port = -1;

    Probes(Tollgate tollgate, TollgateConfig config, MemoryBudget budget, Optional<EventStore> store) {
        this.tollgate = tollgate;
        this.config = config;
        this.budget = budget;
        this.store = store;
    }

    /** Adds the two routes to {@code router}. */
    void mount(Router router) {
        router.get(config.healthPath()).handler(ctx -> ctx.json(health()));
        router.get(config.metricsPath())
                .handler(ctx -> ctx.response()
                        .putHeader("Content-Type", TollgateMetrics.CONTENT_TYPE)
                        .end(tollgate.metrics().prometheus()));
    }

    /** Starts the management listener when {@code management.port} is set; else nothing. */
    Future<Void> listenAlone(Vertx vertx) {
        if (config.managementPort().isEmpty()) {
            return Future.succeededFuture();
        }
        Router router = Router.router(vertx);
        mount(router);
        String host = config.managementHost();
        int wanted = config.managementPort().get();
        return vertx.createHttpServer()
                .requestHandler(router)
                .listen(wanted, host)
                .recover(e -> Future.failedFuture(new dev.tollgate.plugin.SettingsException(
                        "management.port", "cannot listen on " + host + ":" + wanted + ": " + e.getMessage())))
                .onSuccess(server -> {
                    port = server.actualPort();
                    LOG.info("health and metrics on http://" + host + ":" + port + config.healthPath() + " and "
                            + config.metricsPath() + " (not on the gateway's port)");
                })
                .mapEmpty();
    }

    /** The management listener's port; empty when the probes are on the gateway's port. */
    Optional<Integer> port() {
        return port < 0 ? Optional.empty() : Optional.of(port);
    }

    JsonObject health() {
        List<String> degraded = tollgate.degradedReasons();
        JsonObject health = new JsonObject().put("status", degraded.isEmpty() ? "UP" : "DEGRADED");
        if (!degraded.isEmpty()) {
            health.put("reasons", degraded);
        }
        return health.put("rules", tollgate.rules().stream().map(Rule::name).toList())
                .put("store", config.eventsEnabled() ? config.storeName() : null)
                .put(
                        "events",
                        new JsonObject()
                                .put("recorded", tollgate.metrics().recordedEvents())
                                .put("buffered", tollgate.metrics().bufferedEvents())
                                .put("dropped", tollgate.metrics().droppedEvents())
                                .put("spooled", tollgate.metrics().spooledEvents())
                                .put("spoolPending", tollgate.metrics().spoolPendingEvents()))
                .put(
                        "memory",
                        new JsonObject()
                                .put("limiterBytes", budget.used())
                                .put("limiterMaxBytes", budget.limit())
                                .put(
                                        "storeBytes",
                                        store.map(EventStore::heapBytes).orElse(0L))
                                .put("maxHeap", Runtime.getRuntime().maxMemory())
                                .put(
                                        "usedHeap",
                                        Runtime.getRuntime().totalMemory()
                                                - Runtime.getRuntime().freeMemory()))
                .put("live", tollgate.metrics().liveStats())
                .put("clustered", tollgate.vertx().isClustered());
    }
}
