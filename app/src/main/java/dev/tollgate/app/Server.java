package dev.tollgate.app;

import dev.tollgate.core.ConfigException;
import dev.tollgate.core.Rule;
import dev.tollgate.core.Tollgate;
import dev.tollgate.events.EventStore;
import dev.tollgate.events.EventStoreRegistry;
import dev.tollgate.limiter.LimiterOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.proxy.handler.ProxyHandler;
import io.vertx.httpproxy.HttpProxy;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * A running {@code tollgate serve}: the limiter core, the event store and recorder, and one HTTP
 * server that answers {@code /health} and {@code /metrics} and sends everything else through the
 * rate-limit handler to the upstream (or to the built-in demo upstream).
 */
final class Server {

    private static final Logger LOG = Logger.getLogger(Server.class.getName());

    private final Vertx vertx;
    private final Tollgate tollgate;
    private final HttpServer http;
    private final Optional<EventStore> store;
    private final Optional<ConfigWatcher> watcher;

    private Server(Vertx vertx, Tollgate tollgate, HttpServer http, Optional<EventStore> store,
                   Optional<ConfigWatcher> watcher) {
        this.vertx = vertx;
        this.tollgate = tollgate;
        this.http = http;
        this.store = store;
        this.watcher = watcher;
    }

    /** Starts everything {@code config} describes; fails with {@link ConfigException} for a bad setting. */
    static Future<Server> start(Vertx vertx, TollgateConfig config, ConfigLoader loader, boolean demoTraffic) {
        Future<Optional<EventStore>> store = config.eventsEnabled()
                ? EventStoreRegistry.fromServiceLoader().open(config.storeName(), vertx, config.storeConfig(), Clock.systemUTC())
                        .map(Optional::of)
                        .recover(e -> Future.failedFuture(e.getMessage() != null && e.getMessage().startsWith("unknown event store")
                                ? new ConfigException("events.store", e.getMessage()) : e))
                : Future.succeededFuture(Optional.empty());
        return store.compose(opened -> {
            Tollgate tollgate;
            try {
                List<String> trusted = new java.util.ArrayList<>(config.trustedProxies());
                if (demoTraffic) {
                    trusted.add("127.0.0.1");
                    trusted.add("::1");
                }
                tollgate = Tollgate.builder()
                        .vertx(vertx)
                        .backend(config.limiterBackend())
                        .limiterOptions(LimiterOptions.defaults().withMaxKeys(config.maxKeys())
                                .withConfig(config.limiterBackendConfig()))
                        .failOpen(config.failOpen())
                        .trustedProxies(trusted)
                        .allow(config.allow())
                        .deny(config.deny())
                        .store(opened.orElse(null))
                        .publishEvents(config.eventsEnabled())
                        .recorderOptions(config.recorderOptions())
                        .rules(config.rules())
                        .build();
            } catch (RuntimeException e) {
                opened.ifPresent(EventStore::close);
                return Future.failedFuture(e);
            }
            return tollgate.deployServices()
                    .compose(v -> ServeAlerts.deploy(vertx, config, opened))
                    .compose(v -> upstream(vertx, config))
                    .compose(origin -> listen(vertx, tollgate, config, origin))
                    .map(http -> {
                        Optional<ConfigWatcher> watcher = config.file()
                                .map(file -> new ConfigWatcher(vertx, tollgate, loader, file, config.json()));
                        watcher.ifPresent(ConfigWatcher::start);
                        Server server = new Server(vertx, tollgate, http, opened, watcher);
                        if (demoTraffic) {
                            new DemoTraffic(vertx, http.actualPort()).start();
                        }
                        return server;
                    });
        });
    }

    private static Future<URI> upstream(Vertx vertx, TollgateConfig config) {
        if (config.upstream().isPresent()) {
            return Future.succeededFuture(config.upstream().get());
        }
        return DemoUpstream.start(vertx).map(port -> URI.create("http://127.0.0.1:" + port));
    }

    private static Future<HttpServer> listen(Vertx vertx, Tollgate tollgate, TollgateConfig config, URI origin) {
        boolean tls = origin.getScheme().equals("https");
        int port = origin.getPort() > 0 ? origin.getPort() : tls ? 443 : 80;
        HttpProxy proxy = HttpProxy.reverseProxy(vertx.createHttpClient(new HttpClientOptions().setSsl(tls)))
                .origin(port, origin.getHost());
        Router router = Router.router(vertx);
        router.get("/health").handler(ctx -> ctx.json(health(tollgate, config)));
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(tollgate.metrics().prometheus()));
        router.route().handler(tollgate.handler());
        router.route().handler(ProxyHandler.create(proxy));
        return vertx.createHttpServer().requestHandler(router).listen(config.httpPort(), config.httpHost())
                .recover(e -> Future.failedFuture(new ConfigException("http.port",
                        "cannot listen on " + config.httpHost() + ":" + config.httpPort() + ": " + e.getMessage())))
                .onSuccess(http -> LOG.info("Tollgate listening on http://" + config.httpHost() + ":" + http.actualPort()
                        + ", limiting " + tollgate.rules().size() + " rule(s) in front of "
                        + (config.upstream().isPresent() ? origin : "the demo upstream at " + origin)
                        + (config.eventsEnabled() ? ", recording to the " + config.storeName() + " store" : ", not recording")));
    }

    private static JsonObject health(Tollgate tollgate, TollgateConfig config) {
        return new JsonObject()
                .put("status", "UP")
                .put("rules", tollgate.rules().stream().map(Rule::name).toList())
                .put("store", config.eventsEnabled() ? config.storeName() : null)
                .put("events", new JsonObject()
                        .put("recorded", tollgate.metrics().recordedEvents())
                        .put("buffered", tollgate.metrics().bufferedEvents())
                        .put("dropped", tollgate.metrics().droppedEvents()));
    }

    int port() {
        return http.actualPort();
    }

    Tollgate tollgate() {
        return tollgate;
    }

    Optional<ConfigWatcher> watcher() {
        return watcher;
    }

    /**
     * Stops taking requests, undeploys the verticles (the recorder flushes its buffer) and closes the
     * store. Closing Vert.x is left to the caller, off its event loops.
     */
    Future<Void> stop() {
        watcher.ifPresent(ConfigWatcher::stop);
        return http.close()
                .compose(v -> Future.join(vertx.deploymentIDs().stream().map(vertx::undeploy).toList()))
                .transform(v -> store.map(EventStore::close).orElse(Future.succeededFuture()));
    }
}
