package dev.tollgate.decision;

import dev.tollgate.core.Addresses;
import dev.tollgate.core.Tollgate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.ext.eventbus.bridge.tcp.impl.protocol.FrameHelper;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The event bus for any language, over the framing of vertx-tcp-eventbus-bridge: each frame is a 4-byte big-endian
 * length and that many bytes of JSON ({@code {"type", "address", "replyAddress", "headers", "body"}}), and frames are
 * written back with the bridge's own {@link FrameHelper}, so its clients for Node, Python, Go and others work as they
 * are. Only {@code send} to {@code tollgate.limit.check} comes in (answered to its {@code replyAddress}); only
 * {@code tollgate.alerts} and {@code tollgate.stats} may be registered; any other address is refused with an
 * {@code err} frame {@code access_denied}. Every frame carries a service token in {@code headers.token}, checked as the
 * HTTP API checks it ({@code err} frames {@code invalid_token}, {@code throttled}, {@code busy} otherwise).
 *
 * <p>The library's own server is not used: it buffers a frame of whatever length a client announces before any hook
 * sees the connection. Here a frame longer than {@link DecisionOptions#maxBodyBytes()} closes the connection after an
 * {@code err} frame {@code frame_too_large}, frames of one connection are taken one at a time (reading pauses while
 * one is decided, and while its answers wait for the client to read them), a client too slow to read its registered
 * messages misses some rather than making them pile up, and connections beyond
 * {@link DecisionOptions#maxBridgeConnections()} are closed after an {@code err} frame {@code too_many_connections}.
 * Checks are recorded with method {@code BUS}, as on the bus, and the token's name as the event's user.
 */
final class BusBridge {

    static final String METHOD = "BUS";
    private static final Logger LOG = Logger.getLogger(BusBridge.class.getName());
    private static final Set<String> INBOUND = Set.of(Addresses.LIMIT_CHECK);
    private static final Set<String> OUTBOUND = Set.of(Addresses.ALERTS, Addresses.STATS);
    private static final int LENGTH_BYTES = 4;

    private final Vertx vertx;
    private final Tollgate tollgate;
    private final ServiceTokens tokens;
    private final DecisionOptions options;
    private final AtomicInteger connections = new AtomicInteger();

    BusBridge(Vertx vertx, Tollgate tollgate, ServiceTokens tokens, DecisionOptions options) {
        this.vertx = vertx;
        this.tollgate = tollgate;
        this.tokens = tokens;
        this.options = options;
    }

    /** Listens on {@code port} (0: a free one); the server's {@code actualPort()} tells which. */
    Future<NetServer> listen(int port) {
        return vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true))
                .connectHandler(this::connected)
                .listen(port, options.host());
    }

    private void connected(NetSocket socket) {
        if (connections.incrementAndGet() > options.maxBridgeConnections()) {
            connections.decrementAndGet();
            FrameHelper.sendErrFrame("too_many_connections", socket);
            socket.end();
            return;
        }
        new Connection(socket).start();
    }

    /** One client's connection: its framing, its registrations. */
    private final class Connection {
        private final NetSocket socket;
        private final String address;
        private final RecordParser parser;
        private final Map<String, MessageConsumer<Object>> registered = new HashMap<>();
        private boolean awaitingLength = true;
        private boolean closed;

        Connection(NetSocket socket) {
            this.socket = socket;
            this.address =
                    socket.remoteAddress() == null ? "" : socket.remoteAddress().hostAddress();
            this.parser = RecordParser.newFixed(LENGTH_BYTES, socket);
        }

        void start() {
            parser.handler(this::record);
            parser.exceptionHandler(e -> socket.close());
            socket.closeHandler(v -> {
                closed = true;
                connections.decrementAndGet();
                registered.values().forEach(MessageConsumer::unregister);
                registered.clear();
            });
        }

        private void record(Buffer record) {
            if (awaitingLength) {
                long length = record.getUnsignedInt(0);
                if (length < 2 || length > options.maxBodyBytes()) {
                    FrameHelper.sendErrFrame(length < 2 ? "invalid_frame" : "frame_too_large", socket);
                    LOG.fine(() -> "bridge connection from " + address + " closed: it announced a frame of " + length
                            + " bytes, over " + options.maxBodyBytes());
                    socket.end();
                    parser.pause();
                    return;
                }
                awaitingLength = false;
                parser.fixedSizeMode((int) length);
                return;
            }
            awaitingLength = true;
            parser.fixedSizeMode(LENGTH_BYTES);
            JsonObject frame;
            try {
                frame = new JsonObject(record);
            } catch (DecodeException | ClassCastException e) {
                FrameHelper.sendErrFrame("invalid_json", socket);
                return;
            }
            parser.pause();
            // a client that does not read its answers stops being read: what waits for it stays bounded
            handle(frame).onComplete(done -> {
                if (done.failed()) {
                    // every frame is answered: a client waiting on its reply address must not wait forever
                    LOG.log(Level.WARNING, "bridge frame from " + address + " not taken", done.cause());
                    FrameHelper.sendErrFrame("internal_error", socket);
                }
                if (socket.writeQueueFull()) {
                    socket.drainHandler(v -> parser.resume());
                } else {
                    parser.resume();
                }
            });
        }

        private Future<Void> handle(JsonObject frame) {
            String type = frame.getValue("type") instanceof String s ? s : "";
            Optional<String> token = frame.getValue("headers") instanceof JsonObject headers
                            && headers.getValue("token") instanceof String t
                    ? Optional.of(t)
                    : Optional.empty();
            return tokens.check(token, address).compose(check -> {
                switch (check.outcome()) {
                    case ACCEPTED -> {
                        return take(type, frame, check.name().orElseThrow());
                    }
                    case MISSING, WRONG -> FrameHelper.sendErrFrame("invalid_token", socket);
                    case THROTTLED -> FrameHelper.sendErrFrame("throttled", socket);
                    case BUSY -> FrameHelper.sendErrFrame("busy", socket);
                }
                return Future.succeededFuture();
            });
        }

        private Future<Void> take(String type, JsonObject frame, String caller) {
            String target = frame.getValue("address") instanceof String s ? s : null;
            switch (type) {
                case "ping" -> FrameHelper.sendFrame("pong", socket);
                case "send" -> {
                    if (target == null || !INBOUND.contains(target)) {
                        FrameHelper.sendErrFrame("access_denied", socket);
                        return Future.succeededFuture();
                    }
                    return check(target, frame, caller);
                }
                case "register" -> {
                    if (target == null || !OUTBOUND.contains(target)) {
                        FrameHelper.sendErrFrame("access_denied", socket);
                    } else if (!closed && !registered.containsKey(target)) {
                        registered.put(target, vertx.eventBus().consumer(target, message -> {
                            // a client that does not read misses messages rather than making them pile up here
                            if (!socket.writeQueueFull()) {
                                FrameHelper.sendFrame("message", target, null, null, false, message.body(), socket);
                            }
                        }));
                    }
                }
                case "unregister" -> {
                    MessageConsumer<Object> consumer = target == null ? null : registered.remove(target);
                    if (consumer == null) {
                        FrameHelper.sendErrFrame(
                                target != null && OUTBOUND.contains(target) ? "unknown_address" : "access_denied",
                                socket);
                    } else {
                        return consumer.unregister();
                    }
                }
                case "publish" -> FrameHelper.sendErrFrame("access_denied", socket);
                default -> FrameHelper.sendErrFrame("unknown_type", socket);
            }
            return Future.succeededFuture();
        }

        private Future<Void> check(String target, JsonObject frame, String caller) {
            String replyAddress = frame.getValue("replyAddress") instanceof String s ? s : null;
            return tollgate.limitChecks()
                    .check(frame.getValue("body"), METHOD, Optional.of(caller), false)
                    .<Void>map(answer -> {
                        if (replyAddress == null) {
                            return null;
                        }
                        if (answer.decided()) {
                            FrameHelper.sendFrame("message", replyAddress, null, null, true, answer.body(), socket);
                        } else {
                            FrameHelper.sendErrFrame(
                                    target,
                                    replyAddress,
                                    new ReplyException(
                                            ReplyFailure.RECIPIENT_FAILURE, answer.status(), answer.message()),
                                    socket);
                        }
                        return null;
                    })
                    .recover(e -> {
                        // a check that could not be answered is still answered: its client waits on replyAddress
                        LOG.log(Level.WARNING, "a bridge check from " + address + " failed", e);
                        if (replyAddress != null) {
                            FrameHelper.sendErrFrame(
                                    target,
                                    replyAddress,
                                    new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 500, "internal error"),
                                    socket);
                        }
                        return Future.succeededFuture();
                    });
        }
    }
}
