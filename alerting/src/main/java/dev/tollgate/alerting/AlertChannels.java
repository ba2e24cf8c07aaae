package dev.tollgate.alerting;

import dev.tollgate.alerting.spi.Alert;
import dev.tollgate.alerting.spi.AlertChannel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The configured channels, by name, in configuration order. {@link #send} tries each of them on its
 * own: one that fails, throws or never answers is reported as not sent and never keeps the others from
 * sending.
 */
public final class AlertChannels {

    /**
     * How long a send may take before it is reported as failed, whatever the channel's own timeout: the
     * last line of defence against a channel that breaks its contract and never completes.
     */
    public static final Duration SEND_BOUND = Duration.ofSeconds(60);

    private static final Logger LOG = Logger.getLogger(AlertChannels.class.getName());

    private final Vertx vertx;
    private final Map<String, AlertChannel> channels;
    private final Duration bound;

    private AlertChannels(Vertx vertx, Map<String, AlertChannel> channels, Duration bound) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.channels = Collections.unmodifiableMap(new LinkedHashMap<>(channels));
        this.bound = bound;
    }

    /** {@code channels} under their names, tried in the map's order. */
    public static AlertChannels of(Vertx vertx, Map<String, AlertChannel> channels) {
        return new AlertChannels(vertx, channels, SEND_BOUND);
    }

    /** No channel: alerts go to the event bus only. */
    public static AlertChannels none(Vertx vertx) {
        return of(vertx, Map.of());
    }

    /** The same channels, a send being reported as failed after {@code bound}. */
    public AlertChannels withSendBound(Duration bound) {
        if (bound.isNegative() || bound.isZero()) {
            throw new IllegalArgumentException("the send bound must be positive, got " + bound);
        }
        return new AlertChannels(vertx, channels, bound);
    }

    /** The channels' names, in the order they are tried. */
    public Set<String> names() {
        return channels.keySet();
    }

    public boolean isEmpty() {
        return channels.isEmpty();
    }

    /** The channel named {@code name}, as configured. */
    public Optional<AlertChannel> channel(String name) {
        return Optional.ofNullable(channels.get(name));
    }

    /**
     * Sends {@code alert} on every channel at once and answers, in channel order, what became of it on
     * each. The future never fails.
     */
    public Future<Map<String, Delivery>> send(Alert alert) {
        List<String> names = new ArrayList<>(channels.keySet());
        List<Future<Delivery>> deliveries = new ArrayList<>(names.size());
        for (String name : names) {
            deliveries.add(sendOne(name, channels.get(name), alert));
        }
        return Future.join(deliveries).transform(done -> {
            Map<String, Delivery> byName = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                byName.put(names.get(i), deliveries.get(i).result());
            }
            return Future.succeededFuture(Collections.unmodifiableMap(byName));
        });
    }

    /** Closes every channel; never fails. */
    public Future<Void> close() {
        List<Future<Void>> closing = new ArrayList<>();
        channels.forEach((name, channel) -> {
            try {
                closing.add(channel.close().recover(e -> {
                    LOG.warning("alert channel '" + name + "' did not close cleanly: " + e.getMessage());
                    return Future.succeededFuture();
                }));
            } catch (RuntimeException e) {
                LOG.warning("alert channel '" + name + "' did not close cleanly: " + e);
            }
        });
        return Future.join(closing).transform(done -> Future.succeededFuture());
    }

    private Future<Delivery> sendOne(String name, AlertChannel channel, Alert alert) {
        Future<JsonObject> sending;
        try {
            sending = channel.send(alert);
            if (sending == null) {
                sending = Future.failedFuture("the channel answered no future");
            }
        } catch (RuntimeException e) {
            sending = Future.failedFuture(e);
        }
        Promise<Delivery> delivery = Promise.promise();
        long timer = vertx.setTimer(
                bound.toMillis(),
                id -> delivery.tryComplete(Delivery.failed("no answer within " + Bounded.text(bound))));
        sending.onComplete(result -> {
            vertx.cancelTimer(timer);
            if (result.failed()) {
                delivery.tryComplete(Delivery.failed(AlertingException.describe(result.cause())));
            } else {
                // a channel that succeeds without details has sent all the same
                delivery.tryComplete(Delivery.sent(result.result() == null ? new JsonObject() : result.result()));
            }
        });
        return delivery.future()
                .onSuccess(outcome -> outcome.error()
                        .ifPresent(error -> LOG.warning(
                                "alert '" + alert.type() + "' not sent by channel '" + name + "': " + error)));
    }
}
