package dev.tollgate.app;

import dev.tollgate.core.ConfigException;
import dev.tollgate.core.Tollgate;
import dev.tollgate.events.EventStore;
import dev.tollgate.events.EventStoreRegistry;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.ManualClock;
import dev.tollgate.monitor.RuleReplay;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** What {@code monitor --rules} needs: a Vert.x instance, the configured store, and the rules on a log-time clock. */
final class ReplaySetup implements AutoCloseable {

    private final Vertx vertx;
    private final Optional<EventStore> store;
    private final RuleReplay replay;

    private ReplaySetup(Vertx vertx, Optional<EventStore> store, RuleReplay replay) {
        this.vertx = vertx;
        this.store = store;
        this.replay = replay;
    }

    static ReplaySetup open(TollgateConfig config) {
        Vertx vertx = Vertx.vertx();
        try {
            Optional<EventStore> store = Optional.empty();
            if (config.eventsEnabled()) {
                store = Optional.of(await(EventStoreRegistry.fromServiceLoader()
                        .open(config.storeName(), vertx, config.storeConfig(), Clock.systemUTC())));
            }
            ManualClock clock = ManualClock.at(Instant.EPOCH);
            Tollgate tollgate = Tollgate.builder()
                    .vertx(vertx)
                    .backend(config.limiterBackend())
                    .limiterOptions(LimiterOptions.defaults().withClock(clock).withMaxKeys(config.maxKeys())
                            .withConfig(config.limiterBackendConfig()))
                    .failOpen(config.failOpen())
                    .allow(config.allow())
                    .deny(config.deny())
                    .publishEvents(false)
                    .rules(config.rules())
                    .build();
            return new ReplaySetup(vertx, store, new RuleReplay(tollgate, clock, store));
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    RuleReplay replay() {
        return replay;
    }

    @Override
    public void close() {
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
            if (cause.getMessage() != null && cause.getMessage().startsWith("unknown event store")) {
                throw new ConfigException("events.store", cause.getMessage());
            }
            throw new IllegalStateException(cause.getMessage(), cause);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("no answer in 60 s");
        }
    }
}
