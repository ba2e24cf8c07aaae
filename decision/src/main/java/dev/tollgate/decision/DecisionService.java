package dev.tollgate.decision;

import dev.tollgate.core.Tollgate;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetServer;
import io.vertx.ext.web.Router;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The decision service of one Tollgate: the HTTP check API ({@code POST /ratelimit/v1/check}) for the gateway's router
 * ({@link #router}) and, when {@link DecisionOptions#port()} is set, on a listener of its own; and the TCP event-bus
 * bridge on {@link DecisionOptions#bridgePort()}. Without service tokens both are off, not open: the API answers 404
 * and nothing listens, and starting says so once when a port was asked for. Deploy it as a verticle; undeploying it
 * closes its listeners and its hashing pool.
 */
public final class DecisionService extends VerticleBase {

    /** Where {@link #router} belongs: {@code router.route(MOUNT_POINT + "*").subRouter(service.router(vertx))}. */
    public static final String MOUNT_POINT = CheckApi.MOUNT_POINT;

    private static final Logger LOG = Logger.getLogger(DecisionService.class.getName());

    private final Tollgate tollgate;
    private final DecisionOptions options;
    private final ServiceTokens tokens;
    private final CheckApi api;
    private Optional<HttpServer> http = Optional.empty();
    private Optional<NetServer> bridge = Optional.empty();

    /** A service for {@code tollgate}, its tokens checked on the Tollgate's clock (the throttle's minute). */
    public DecisionService(Tollgate tollgate, DecisionOptions options) {
        this.tollgate = tollgate;
        this.options = options;
        this.tokens = new ServiceTokens(tollgate.vertx(), options, tollgate.clock());
        this.api = new CheckApi(tollgate, tokens, options);
    }

    @Override
    public Future<?> start() {
        if (!options.enabled()) {
            if (options.port().isPresent() || options.bridgePort().isPresent()) {
                LOG.warning("the decision service is off: decision.port or decision.bridgePort is set but"
                        + " decision.tokens is empty (tollgate token NAME makes one)");
            }
            return Future.succeededFuture();
        }
        LOG.info("decision service: POST " + MOUNT_POINT + CheckApi.CHECK_PATH + " for "
                + options.tokens().size() + " service token(s)");
        Future<Void> listening = Future.succeededFuture();
        if (options.port().isPresent()) {
            Router router = Router.router(vertx);
            router.route(MOUNT_POINT + "*").subRouter(api.router(vertx));
            listening = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false))
                    .requestHandler(router)
                    .listen(options.port().get(), options.host())
                    .recover(e -> cannotListen("decision.port", options.port().get(), e))
                    .onSuccess(server -> {
                        http = Optional.of(server);
                        LOG.info("decision service: HTTP checks on http://" + options.host() + ":" + server.actualPort()
                                + MOUNT_POINT + CheckApi.CHECK_PATH);
                    })
                    .mapEmpty();
        }
        if (options.bridgePort().isPresent()) {
            listening = listening.compose(v -> new BusBridge(vertx, tollgate, tokens, options)
                    .listen(options.bridgePort().get())
                    .recover(e -> cannotListen(
                            "decision.bridgePort", options.bridgePort().get(), e))
                    .onSuccess(server -> {
                        bridge = Optional.of(server);
                        LOG.info("decision service: event-bus bridge on " + options.host() + ":" + server.actualPort());
                    })
                    .mapEmpty());
        }
        return listening;
    }

    private <T> Future<T> cannotListen(String key, int port, Throwable cause) {
        return Future.failedFuture(new SettingsException(
                key, "cannot listen on " + options.host() + ":" + port + ": " + cause.getMessage()));
    }

    @Override
    public Future<?> stop() {
        return tokens.close();
    }

    /** The API's routes for the gateway's router, or, without tokens, a router that answers 404 to everything. */
    public Router router(Vertx vertx) {
        return options.enabled() ? api.router(vertx) : CheckApi.off(vertx);
    }

    /** The port of the API's own listener, once started; empty when it has none. */
    public Optional<Integer> port() {
        return http.map(HttpServer::actualPort);
    }

    /** The bridge's port, once started; empty when there is no bridge. */
    public Optional<Integer> bridgePort() {
        return bridge.map(NetServer::actualPort);
    }

    /** The service tokens as checked, with the count of hashes computed. */
    public ServiceTokens tokens() {
        return tokens;
    }
}
