package dev.tollgate.app;

import dev.tollgate.alerting.AlertChannelRegistry;
import dev.tollgate.alerting.AlertChannels;
import dev.tollgate.core.Tollgate;
import dev.tollgate.events.EventStore;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.ManualClock;
import dev.tollgate.monitor.RuleReplay;
import dev.tollgate.plugin.SettingsException;
import dev.tollgate.web.Dashboard;
import dev.tollgate.web.DashboardOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * What {@code tollgate monitor} needs from a configuration file: its alert channels for the traffic
 * alerts; with {@code --rules}, its store and its rules on a log-time clock; with {@code --serve}, the
 * dashboard over that store while the replay runs.
 */
final class MonitorSetup implements AutoCloseable {

    private final Vertx vertx;
    private final AlertChannels channels;
    private final Optional<EventStore> store;
    private final Optional<RuleReplay> replay;
    private final Optional<HttpServer> dashboard;

    private MonitorSetup(
            Vertx vertx,
            AlertChannels channels,
            Optional<EventStore> store,
            Optional<RuleReplay> replay,
            Optional<HttpServer> dashboard) {
        this.vertx = vertx;
        this.channels = channels;
        this.store = store;
        this.replay = replay;
        this.dashboard = dashboard;
    }

    static MonitorSetup open(TollgateConfig config, boolean replayRules, boolean serve, PrintStream out) {
        Vertx vertx = Vertx.vertx();
        Optional<EventStore> store = Optional.empty();
        try {
            AlertChannels channels = AlertChannelRegistry.fromServiceLoader()
                    .open(vertx, config.alerts().under("channels"));
            if (!replayRules) {
                return new MonitorSetup(vertx, channels, store, Optional.empty(), Optional.empty());
            }
            if (config.eventsEnabled()) {
                store = Optional.of(await(ConfiguredStore.create(vertx, config)));
            }
            ManualClock clock = ManualClock.at(Instant.EPOCH);
            Tollgate tollgate = Tollgate.builder()
                    .vertx(vertx)
                    .limiter(config.settings().under("limiter"))
                    .limiterOptions(LimiterOptions.defaults()
                            .withClock(clock)
                            .withMaxKeys(config.maxKeys())
                            .withSettings(config.limiterBackendSettings()))
                    .store(store.orElse(null))
                    .publishEvents(false)
                    .rules(config.rules())
                    .build();
            Optional<HttpServer> dashboard = Optional.empty();
            if (serve) {
                if (store.isEmpty()) {
                    throw new SettingsException("events.enabled", "--serve shows the replayed events: turn events on");
                }
                dashboard = Optional.of(await(serveDashboard(vertx, tollgate, config)));
                out.printf(
                        "dashboard on http://%s:%d%sdashboard/ while the replay runs%n",
                        config.httpHost(), dashboard.get().actualPort(), Dashboard.MOUNT_POINT);
                out.flush();
            }
            return new MonitorSetup(
                    vertx, channels, store, Optional.of(new RuleReplay(tollgate, clock, store)), dashboard);
        } catch (RuntimeException e) {
            store.ifPresent(EventStore::close);
            vertx.close();
            throw e;
        }
    }

    private static Future<HttpServer> serveDashboard(Vertx vertx, Tollgate tollgate, TollgateConfig config) {
        DashboardOptions options = DashboardOptions.defaults().withUsersFile(config.usersFile());
        return Dashboard.create(
                        vertx,
                        tollgate,
                        config.dashboardTemplates()
                                .map(options::withTemplateDirectory)
                                .orElse(options))
                .compose(dashboard -> {
                    Router router = Router.router(vertx);
                    router.route(Dashboard.MOUNT_POINT + "*").subRouter(dashboard.router());
                    return vertx.createHttpServer().requestHandler(router).listen(config.httpPort(), config.httpHost());
                });
    }

    AlertChannels channels() {
        return channels;
    }

    Optional<RuleReplay> replay() {
        return replay;
    }

    @Override
    public void close() {
        dashboard.ifPresent(server -> await(server.close()));
        await(channels.close());
        store.ifPresent(s -> await(s.close()));
        await(vertx.close());
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SettingsException config) {
                throw config;
            }
            throw new IllegalStateException(cause.getMessage(), cause);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("no answer in 60 s");
        }
    }
}
