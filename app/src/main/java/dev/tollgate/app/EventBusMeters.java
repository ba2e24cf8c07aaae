package dev.tollgate.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.spi.metrics.EventBusMetrics;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@code vertx_eventbus_*} series of one Vert.x, named, tagged ({@code side}: {@code local} or {@code remote})
 * and counted as vertx-micrometer-metrics counts them with {@link ServeMetrics}' labels, which leave the address
 * out; each meter made once, where the gateway publishes an event per request. Vert.x's own addresses
 * ({@code __vertx.*}) are not counted.
 */
final class EventBusMeters implements EventBusMetrics<Object> {

    private static final String PREFIX = "vertx.eventbus.";
    private static final Object HANDLER = new Object();

    private final LongAdder handlers;
    private final Side local;
    private final Side remote;
    private final DistributionSummary bytesRead;
    private final DistributionSummary bytesWritten;
    private final Counter replyFailures;

    EventBusMeters(MeterRegistry registry) {
        handlers =
                MetersByIndex.gauge(registry, PREFIX + "handlers", "Number of event bus handlers in use", Tags.empty());
        local = new Side(registry, "local");
        remote = new Side(registry, "remote");
        bytesRead = MetersByIndex.summary(
                        registry,
                        PREFIX + "bytes.read",
                        "Number of bytes received while reading messages from event bus cluster peers")
                .apply(Tags.empty());
        bytesWritten = MetersByIndex.summary(
                        registry,
                        PREFIX + "bytes.written",
                        "Number of bytes sent while sending messages to event bus cluster peers")
                .apply(Tags.empty());
        replyFailures = MetersByIndex.counter(registry, PREFIX + "reply.failures", "Number of message reply failures")
                .apply(Tags.empty());
    }

    /** The meters of messages on one side: sent from or received on this node ({@code local}), or a peer's. */
    private static final class Side {
        final LongAdder pending;
        final Counter published;
        final Counter sent;
        final Counter received;
        final Counter delivered;
        final Counter processed;
        final Counter discarded;

        Side(MeterRegistry registry, String side) {
            Tags tags = Tags.of("side", side);
            pending = MetersByIndex.gauge(registry, PREFIX + "pending", "Number of messages not processed yet", tags);
            published = counter(registry, "published", "Number of messages published (publish / subscribe)", tags);
            sent = counter(registry, "sent", "Number of messages sent (point-to-point)", tags);
            received = counter(registry, "received", "Number of messages received", tags);
            delivered = counter(registry, "delivered", "Number of messages delivered to handlers", tags);
            processed = counter(registry, "processed", "Number of processed messages", tags);
            discarded = counter(registry, "discarded", "Number of discarded messages", tags);
        }

        private static Counter counter(MeterRegistry registry, String name, String description, Tags tags) {
            return MetersByIndex.counter(registry, PREFIX + name, description).apply(tags);
        }
    }

    private static boolean internal(String address) {
        return address.startsWith("__vertx.");
    }

    private Side side(boolean isLocal) {
        return isLocal ? local : remote;
    }

    @Override
    public Object handlerRegistered(String address) {
        if (internal(address)) {
            return null;
        }
        handlers.increment();
        return HANDLER;
    }

    @Override
    public void handlerUnregistered(Object handler) {
        if (handler != null) {
            handlers.decrement();
        }
    }

    @Override
    public void messageDelivered(Object handler, boolean isLocal) {
        if (handler != null) {
            Side side = side(isLocal);
            side.pending.decrement();
            side.processed.increment();
        }
    }

    @Override
    public void discardMessage(Object handler, boolean isLocal, Message<?> msg) {
        if (handler != null) {
            Side side = side(isLocal);
            side.pending.decrement();
            side.discarded.increment();
        }
    }

    @Override
    public void messageSent(String address, boolean publish, boolean isLocal, boolean isRemote) {
        if (!internal(address)) {
            Side side = side(isLocal);
            (publish ? side.published : side.sent).increment();
        }
    }

    @Override
    public void messageReceived(String address, boolean publish, boolean isLocal, int handlerCount) {
        if (!internal(address)) {
            Side side = side(isLocal);
            side.received.increment();
            if (handlerCount > 0) {
                side.pending.add(handlerCount);
                side.delivered.increment();
            }
        }
    }

    @Override
    public void messageWritten(String address, int numberOfBytes) {
        if (!internal(address)) {
            bytesWritten.record(numberOfBytes);
        }
    }

    @Override
    public void messageRead(String address, int numberOfBytes) {
        if (!internal(address)) {
            bytesRead.record(numberOfBytes);
        }
    }

    @Override
    public void replyFailure(String address, ReplyFailure failure) {
        if (!internal(address)) {
            replyFailures.increment();
        }
    }
}
