package dev.tollgate.app;

import dev.tollgate.core.Tollgate;
import dev.tollgate.envoy.EnvoyConfig;
import dev.tollgate.envoy.EnvoyRateLimitService;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.logging.Logger;

/**
 * The Envoy rate-limit service of a {@code serve} ({@code decision.grpcPort}): reads the limits, listens, and looks at
 * the limits' file or directory every {@code decision.envoy.reloadEvery} for a change; undeploying it stops it, as
 * for the rest of {@code serve}.
 */
final class EnvoyVerticle extends VerticleBase {

    private static final Logger LOG = Logger.getLogger(EnvoyVerticle.class.getName());

    private final Tollgate tollgate;
    private final TollgateConfig.EnvoySetup setup;
    private volatile EnvoyRateLimitService service;

    EnvoyVerticle(Tollgate tollgate, TollgateConfig.EnvoySetup setup) {
        this.tollgate = tollgate;
        this.setup = setup;
    }

    @Override
    public Future<?> start() {
        return vertx.executeBlocking(() -> EnvoyConfig.load(setup.limits()))
                .recover(e -> Future.failedFuture(
                        e instanceof SettingsException problem
                                ? new SettingsException("decision.envoy.config", problem.getMessage())
                                : e))
                .compose(limits -> EnvoyRateLimitService.start(vertx, tollgate, limits, setup.options())
                        .recover(e -> Future.failedFuture(
                                e instanceof SettingsException
                                        ? e
                                        : new SettingsException(
                                                "decision.grpcPort",
                                                "cannot listen on "
                                                        + setup.options().host() + ":"
                                                        + setup.options().port() + ": " + e.getMessage())))
                        .onSuccess(started -> {
                            service = started;
                            started.watch(setup.limits(), setup.reloadEvery());
                            LOG.info("the Envoy rate-limit service listens on "
                                    + setup.options().host() + ":"
                                    + started.port() + " with the domains " + limits.domains() + " of "
                                    + setup.limits());
                        }));
    }

    @Override
    public Future<?> stop() {
        EnvoyRateLimitService running = service;
        return running == null ? Future.succeededFuture() : running.close();
    }

    /** The port the service listens on, once started. */
    int port() {
        return service.port();
    }
}
