package dev.tollgate.app;

import dev.tollgate.core.Tollgate;
import dev.tollgate.core.TollgateMetrics;
import dev.tollgate.decision.DecisionOptions;
import dev.tollgate.decision.DecisionService;
import dev.tollgate.events.EventStore;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.MemoryBudget;
import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import dev.tollgate.web.Dashboard;
import dev.tollgate.web.DashboardOptions;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.proxy.handler.ProxyHandler;
import io.vertx.httpproxy.HttpProxy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
    private final int port;
    private final Optional<EventStore> store;
    private final Optional<ConfigWatcher> watcher;
    private final String gateway;
    private final Probes probes;
    private final Optional<AccessLog> accessLog;
    private final DecisionService decision;
    private final Optional<EnvoyVerticle> envoy;

    private Server(
            Vertx vertx,
            Tollgate tollgate,
            Listening listening,
            Optional<EventStore> store,
            Optional<ConfigWatcher> watcher,
            Optional<AccessLog> accessLog) {
        this.vertx = vertx;
        this.tollgate = tollgate;
        this.port = listening.port();
        this.gateway = listening.deployment();
        this.probes = listening.probes();
        this.decision = listening.decision();
        this.envoy = listening.envoy();
        this.store = store;
        this.watcher = watcher;
        this.accessLog = accessLog;
    }

    /** The gateway verticles' deployment, the port they share, and where the probes are. */
    private record Listening(
            String deployment,
            int port,
            Probes probes,
            Optional<AccessLog> accessLog,
            DecisionService decision,
            Optional<EnvoyVerticle> envoy) {}

    /**
     * One event loop per gateway verticle: the recorder, the live counters and the alerts then run on the
     * loops that serve requests, so handing them an event does not wake an idle thread.
     */
    static VertxOptions vertxOptions(TollgateConfig config) {
        return new VertxOptions().setEventLoopPoolSize(config.httpInstances());
    }

    /**
     * Starts everything {@code config} describes, its meters in a registry of their own: {@code /metrics} shows
     * Tollgate's and the JVM's, not Vert.x's; fails with {@link SettingsException} for a bad setting.
     */
    static Future<Server> start(Vertx vertx, TollgateConfig config, ConfigLoader loader, boolean demoTraffic) {
        return start(vertx, TollgateMetrics.newRegistry(), config, loader, demoTraffic);
    }

    /**
     * Starts everything {@code config} describes, its meters in {@code registry}: the one {@code vertx} reports into
     * when {@link ServeMetrics} built it, so that {@code /metrics} shows Vert.x's HTTP server and client too.
     */
    static Future<Server> start(
            Vertx vertx,
            PrometheusMeterRegistry registry,
            TollgateConfig config,
            ConfigLoader loader,
            boolean demoTraffic) {
        Future<Optional<EventStore>> store = config.eventsEnabled()
                ? ConfiguredStore.create(vertx, config).map(Optional::of)
                : Future.succeededFuture(Optional.empty());
        return store.compose(opened -> {
            Tollgate tollgate;
            DecisionOptions decisionOptions;
            Optional<TollgateConfig.EnvoySetup> envoySetup;
            MemoryBudget budget = MemoryBudget.ofBytes(config.limiterMaxBytes());
            try {
                // settings read when the listeners start, checked now so that a mistake is one clear line
                config.tls();
                config.loginLimit();
                config.refusalDelay();
                config.healthPath();
                config.metricsPath();
                config.accessLog();
                decisionOptions = config.decision();
                envoySetup = config.envoy();
                Settings limiter = config.settings().under("limiter");
                if (demoTraffic) {
                    // the demo's own traffic comes through the loopback with the addresses it plays in a header
                    JsonObject withLoopback = limiter.json();
                    withLoopback.put(
                            "trustedProxies",
                            new JsonArray(new java.util.ArrayList<>(limiter.list("trustedProxies")))
                                    .add("127.0.0.1")
                                    .add("::1"));
                    limiter = Settings.of(limiter.prefix(), withLoopback);
                }
                tollgate = Tollgate.builder()
                        .vertx(vertx)
                        .meterRegistry(registry)
                        .limiter(limiter)
                        .limiterOptions(LimiterOptions.defaults()
                                .withMaxKeys(config.maxKeys())
                                .withMemoryBudget(budget)
                                .withSettings(config.limiterBackendSettings()))
                        .keepEncodedSlashes(config.keepEncodedSlashes())
                        .store(opened.orElse(null))
                        .publishEvents(config.eventsEnabled())
                        .recorderOptions(config.recorderOptions())
                        .rules(config.rules())
                        .build();
            } catch (RuntimeException e) {
                opened.ifPresent(EventStore::close);
                return Future.failedFuture(e);
            }
            tollgate.metrics()
                    .gauge(
                            "tollgate_limiter_state_bytes",
                            "Heap held by the in-process limiters' per-key state (estimated).",
                            budget::used);
            opened.ifPresent(s -> tollgate.metrics()
                    .gauge(
                            "tollgate_store_heap_bytes",
                            "Heap held by the event store for events and aggregates (estimated; 0 for a database).",
                            s::heapBytes));
            if (config.rules().isEmpty()) {
                LOG.warning("no rules: every request passes unlimited (add rules to "
                        + config.file().map(Path::toString).orElse("a configuration file")
                        + "; they apply without a restart)");
            }
            return tollgate.deployServices()
                    .compose(v -> ServeAlerts.deploy(vertx, config, opened))
                    .compose(v -> opened.map(s -> vertx.deployVerticle(
                                            new RetentionSweep(s, config.retentionDays(), config.cleanupEvery()))
                                    .<Void>mapEmpty())
                            .orElse(Future.succeededFuture()))
                    .compose(v -> Dashboard.create(vertx, tollgate, dashboardOptions(config)))
                    .compose(dashboard -> startDecision(vertx, tollgate, decisionOptions)
                            .compose(decision -> startEnvoy(vertx, tollgate, envoySetup)
                                    .map(envoy -> new Front(dashboard, decision, envoy))))
                    .compose(front -> upstream(vertx, config)
                            .compose(origin -> openAccessLog(vertx, config, tollgate)
                                    .compose(accessLog -> {
                                        Probes probes = new Probes(tollgate, config, budget, opened);
                                        return probes.listenAlone(vertx)
                                                .compose(v -> listen(
                                                        vertx, tollgate, config, origin, front, probes, accessLog))
                                                .onFailure(e -> accessLog.ifPresent(log -> close(vertx, log)));
                                    })))
                    .map(listening -> {
                        Optional<ConfigWatcher> watcher = config.file()
                                .map(file -> new ConfigWatcher(vertx, tollgate, loader, file, config.json()));
                        watcher.ifPresent(ConfigWatcher::start);
                        Server server = new Server(vertx, tollgate, listening, opened, watcher, listening.accessLog());
                        if (demoTraffic) {
                            new DemoTraffic(vertx, listening.port()).start();
                        }
                        return server;
                    });
        });
    }

    /**
     * What the gateway serves under {@code /ratelimit/} itself: the dashboard and the decision service's API; and the
     * Envoy rate-limit service on a port of its own, when there is one.
     */
    private record Front(Dashboard dashboard, DecisionService decision, Optional<EnvoyVerticle> envoy) {}

    /**
     * Deploys the decision service: its check API for the gateway's router, its own listener and its event-bus bridge
     * when {@code decision.port} and {@code decision.bridgePort} ask for them; all off without service tokens.
     */
    private static Future<DecisionService> startDecision(Vertx vertx, Tollgate tollgate, DecisionOptions options) {
        DecisionService service = new DecisionService(tollgate, options);
        return vertx.deployVerticle(service).map(id -> service);
    }

    /** Deploys the Envoy rate-limit service when {@code decision.grpcPort} asks for it. */
    private static Future<Optional<EnvoyVerticle>> startEnvoy(
            Vertx vertx, Tollgate tollgate, Optional<TollgateConfig.EnvoySetup> setup) {
        if (setup.isEmpty()) {
            return Future.succeededFuture(Optional.empty());
        }
        EnvoyVerticle envoy = new EnvoyVerticle(tollgate, setup.get());
        return vertx.deployVerticle(envoy).map(id -> Optional.of(envoy));
    }

    /** Opens the access log on a worker, when {@code accessLog.path} is set, and reports its counts in the metrics. */
    private static Future<Optional<AccessLog>> openAccessLog(Vertx vertx, TollgateConfig config, Tollgate tollgate) {
        Optional<AccessLogOptions> options = config.accessLog();
        if (options.isEmpty()) {
            return Future.succeededFuture(Optional.empty());
        }
        return vertx.executeBlocking(() -> AccessLog.open(options.get())).map(log -> {
            tollgate.metrics().gauge("tollgate_access_log_lines", "Lines written to the access log.", log::written);
            tollgate.metrics()
                    .gauge(
                            "tollgate_access_log_dropped_lines",
                            "Access log lines dropped because the writer fell behind or the file could not be written.",
                            log::dropped);
            return Optional.of(log);
        });
    }

    /** Writes out and closes {@code log} on a worker: closing waits for its writer. */
    private static Future<Void> close(Vertx vertx, AccessLog log) {
        return vertx.executeBlocking(() -> {
            log.close();
            return null;
        });
    }

    private static Future<URI> upstream(Vertx vertx, TollgateConfig config) {
        if (config.upstream().isPresent()) {
            return Future.succeededFuture(config.upstream().get());
        }
        return DemoUpstream.start(vertx).map(port -> URI.create("http://127.0.0.1:" + port));
    }

    /**
     * Deploys {@code http.instances} gateway verticles on one port, so requests spread over the event
     * loops. Vert.x shares one listening socket between them; port 0 means a free port, chosen first so all share it.
     */
    private static DashboardOptions dashboardOptions(TollgateConfig config) {
        DashboardOptions options = DashboardOptions.defaults()
                .withUsersFile(config.usersFile())
                .withLoginLimit(config.loginLimit())
                .withHashConcurrency(config.hashConcurrency())
                .withRefusalDelay(config.refusalDelay())
                .withRulesEditable(config.rulesEditable());
        return config.dashboardTemplates().map(options::withTemplateDirectory).orElse(options);
    }

    private static Future<Listening> listen(
            Vertx vertx,
            Tollgate tollgate,
            TollgateConfig config,
            URI origin,
            Front front,
            Probes probes,
            Optional<AccessLog> accessLog) {
        java.util.Set<Integer> ports = java.util.concurrent.ConcurrentHashMap.newKeySet();
        // upstream failures, shared by every gateway verticle: at most a line per 10 s
        QuietLog upstreamErrors = new QuietLog(LOG, Duration.ofSeconds(10));
        int chosen;
        try {
            chosen = config.httpPort() != 0 ? config.httpPort() : freePort(config.httpHost());
        } catch (java.io.IOException e) {
            return Future.failedFuture(
                    new SettingsException("http.port", "cannot find a free port: " + e.getMessage()));
        }
        return vertx.deployVerticle(
                        () -> new GatewayVerticle(
                                tollgate, config, origin, front, chosen, ports, probes, upstreamErrors, accessLog),
                        new DeploymentOptions().setInstances(config.httpInstances()))
                .recover(e -> Future.failedFuture(new SettingsException(
                        "http.port",
                        "cannot listen on " + config.httpHost() + ":" + config.httpPort() + ": " + e.getMessage())))
                .compose(id -> ports.size() == 1
                        ? Future.succeededFuture(new Listening(
                                id, ports.iterator().next(), probes, accessLog, front.decision(), front.envoy()))
                        : Future.failedFuture(
                                new IllegalStateException("gateway verticles listen on several ports: " + ports)))
                .onSuccess(listening ->
                        LOG.info("Tollgate listening on " + (config.tls().isPresent() ? "https" : "http")
                                + "://" + config.httpHost() + ":" + listening.port()
                                + ", limiting " + tollgate.rules().size() + " rule(s) in front of "
                                + (config.upstream().isPresent() ? origin : "the demo upstream at " + origin)
                                + (config.eventsEnabled()
                                        ? ", recording to the " + config.storeName() + " store"
                                        : ", not recording")));
    }

    private static int freePort(String host) throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
            return socket.getLocalPort();
        }
    }

    /** One event loop's share of the gateway: its own router, proxy client and server on the shared port. */
    private static final class GatewayVerticle extends VerticleBase {
        private final Tollgate tollgate;
        private final TollgateConfig config;
        private final URI origin;
        private final Front front;
        private final int port;
        private final java.util.Set<Integer> ports;
        private final Probes probes;
        private final QuietLog upstreamErrors;
        private final Optional<AccessLog> accessLog;

        GatewayVerticle(
                Tollgate tollgate,
                TollgateConfig config,
                URI origin,
                Front front,
                int port,
                java.util.Set<Integer> ports,
                Probes probes,
                QuietLog upstreamErrors,
                Optional<AccessLog> accessLog) {
            this.tollgate = tollgate;
            this.config = config;
            this.origin = origin;
            this.front = front;
            this.port = port;
            this.ports = ports;
            this.probes = probes;
            this.upstreamErrors = upstreamErrors;
            this.accessLog = accessLog;
        }

        @Override
        public Future<?> start() {
            boolean tls = origin.getScheme().equals("https");
            int originPort = origin.getPort() > 0 ? origin.getPort() : tls ? 443 : 80;
            SocketAddress upstream = SocketAddress.inetSocketAddress(originPort, origin.getHost());
            long connectTimeout = config.gatewayConnectTimeout().toMillis();
            UpstreamInterceptor upstreamInterceptor = new UpstreamInterceptor(
                    tollgate.clientAddresses(),
                    config.keepEncodedSlashes(),
                    config.gatewayConnectTimeout(),
                    config.gatewayTimeout(),
                    tollgate.metrics(),
                    upstreamErrors);
            UpstreamDeadlines deadlines = new UpstreamDeadlines(vertx, config.gatewayTimeout());
            // one for every request: the client copies what it needs and keeps nothing of it
            RequestOptions toUpstream = new RequestOptions().setServer(upstream).setConnectTimeout(connectTimeout);
            HttpProxy proxy = HttpProxy.reverseProxy(vertx.createHttpClient(
                            new HttpClientOptions().setSsl(tls).setConnectTimeout((int)
                                    Math.min(Integer.MAX_VALUE, connectTimeout)),
                            new PoolOptions().setHttp1MaxSize(64)))
                    .origin(context -> deadlines.watch(context.client().request(toUpstream)))
                    .addInterceptor(upstreamInterceptor);
            Optional<AccessLogHandler> logged = accessLog.map(
                    log -> new AccessLogHandler(log, tollgate.clientAddresses(), java.time.InstantSource.system()));
            Router router = Router.router(vertx);
            logged.ifPresent(handler -> router.route().handler(handler));
            if (config.managementPort().isEmpty()) {
                probes.mount(router);
            }
            // before the dashboard's: both are Tollgate's own, under /ratelimit/, never proxied
            router.route(DecisionService.MOUNT_POINT + "*")
                    .subRouter(front.decision().router(vertx));
            router.route(Dashboard.MOUNT_POINT + "*")
                    .subRouter(front.dashboard().router());
            router.route().handler(tollgate.gatewayHandler());
            router.route().handler(upstreamInterceptor.handing(ProxyHandler.create(proxy)));
            Duration headerTimeout = config.headerTimeout();
            // HTTP/1.1 only: with clear-text HTTP/2 on, Vert.x waits for a connection's first bytes before it
            // hands the connection over, and a silent one would never meet its header deadline
            HttpServerOptions options = new HttpServerOptions()
                    .setHttp2ClearTextEnabled(false)
                    .setIdleTimeout((int) Math.max(1, config.idleTimeout().toMillis()))
                    .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
            config.tls()
                    .ifPresent(pem -> options.setSsl(true)
                            .setKeyCertOptions(new PemKeyCertOptions()
                                    .setCertPath(pem.certificate().toString())
                                    .setKeyPath(pem.key().toString())));
            io.vertx.core.http.HttpServer http = vertx.createHttpServer(options);
            logged.ifPresent(handler -> http.invalidRequestHandler(handler::invalid));
            return http.connectionHandler(
                            connection -> HeaderDeadline.install(connection, headerTimeout, tollgate.metrics()))
                    .requestHandler(router)
                    .listen(port, config.httpHost())
                    .onSuccess(server -> ports.add(server.actualPort()));
        }
    }

    int port() {
        return port;
    }

    /** The port of the management listener, when {@code management.port} gave the probes one. */
    Optional<Integer> managementPort() {
        return probes.port();
    }

    Tollgate tollgate() {
        return tollgate;
    }

    /** The decision service: its own listener's port and its bridge's, when it has them. */
    DecisionService decision() {
        return decision;
    }

    /** The port of the Envoy rate-limit service, when {@code decision.grpcPort} started one. */
    Optional<Integer> envoyPort() {
        return envoy.map(EnvoyVerticle::port);
    }

    Optional<ConfigWatcher> watcher() {
        return watcher;
    }

    /**
     * Undeploys the verticles — first the gateway, which stops taking requests, then the rest: the recorder
     * flushes its buffer, or spools it when the store cannot take it — writes out the access log, and closes the
     * store. Closing Vert.x is
     * left to the caller, off its event loops.
     */
    Future<Void> stop() {
        watcher.ifPresent(ConfigWatcher::stop);
        return vertx.undeploy(gateway)
                .transform(v -> Future.join(vertx.deploymentIDs().stream()
                        .filter(id -> !id.equals(gateway))
                        .map(vertx::undeploy)
                        .toList()))
                .transform(v -> accessLog.map(log -> close(vertx, log)).orElse(Future.succeededFuture()))
                .transform(v -> store.map(EventStore::close).orElse(Future.succeededFuture()))
                .andThen(v -> tollgate.metrics().close());
    }
}
