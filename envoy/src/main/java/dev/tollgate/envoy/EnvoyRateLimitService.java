package dev.tollgate.envoy;

import dev.tollgate.core.Tollgate;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.common.WireFormat;
import io.vertx.grpc.server.GrpcProtocol;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Envoy's global rate-limit service, {@code envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit}, over gRPC
 * (HTTP/2 without TLS, as Envoy's {@code envoy.filters.http.ratelimit} filter calls it), deciding with a
 * {@link Tollgate}'s limiters: on the Redis backend, the counts are those of every Tollgate node whose limiter has the
 * same scope and spec. The limits come from an {@link EnvoyConfig}; see {@link Decisions} for how a request is
 * answered and recorded.
 *
 * <p>Requests are read by hand, without a protobuf runtime, and bounded ({@link EnvoyOptions}): a message over
 * {@code maxMessageBytes} is refused with {@code RESOURCE_EXHAUSTED} before it is read, one that is not a
 * {@code RateLimitRequest} or holds more than the bounds allow with {@code INVALID_ARGUMENT}, a limiter that cannot
 * decide with {@code UNAVAILABLE} unless {@code failOpen}.
 */
public final class EnvoyRateLimitService {

    /** The gRPC service. */
    public static final ServiceName SERVICE = ServiceName.create("envoy.service.ratelimit.v3", "RateLimitService");
    /** Its one method. */
    public static final String METHOD = "ShouldRateLimit";

    private static final String GRPC_ENCODING = "grpc-encoding";
    private static final String UNDECLARED_ENCODING = "undeclared";

    private static final Logger LOG = Logger.getLogger(EnvoyRateLimitService.class.getName());

    /** Hands the request's bytes over as they came: {@link RateLimitRequest#decode} reads them. */
    private static final GrpcMessageDecoder<Buffer> RAW = new GrpcMessageDecoder<>() {
        @Override
        public Buffer decode(GrpcMessage message) {
            return message.payload();
        }

        @Override
        public boolean accepts(WireFormat format) {
            return format == WireFormat.PROTOBUF;
        }
    };

    private static final GrpcMessageEncoder<Buffer> ENCODED = new GrpcMessageEncoder<>() {
        @Override
        public GrpcMessage encode(Buffer message, WireFormat format) {
            return GrpcMessage.message("identity", WireFormat.PROTOBUF, message);
        }

        @Override
        public boolean accepts(WireFormat format) {
            return format == WireFormat.PROTOBUF;
        }
    };

    private static final ServiceMethod<Buffer, Buffer> SHOULD_RATE_LIMIT =
            ServiceMethod.server(SERVICE, METHOD, ENCODED, RAW);

    private final Vertx vertx;
    private final Tollgate tollgate;
    private final EnvoyOptions options;
    private final RequestBounds bounds;
    private final Decisions decisions;
    private final Object updates = new Object();
    private volatile LimitSet limits = LimitSet.EMPTY;
    private HttpServer server;
    private final List<Long> timers = new CopyOnWriteArrayList<>();

    private EnvoyRateLimitService(Vertx vertx, Tollgate tollgate, EnvoyOptions options) {
        this.vertx = vertx;
        this.tollgate = tollgate;
        this.options = options;
        this.bounds = options.bounds();
        this.decisions = new Decisions(tollgate, options, () -> limits);
    }

    /**
     * Puts {@code config} in force and listens as {@code options} say.
     *
     * @return the running service once it listens; failed with a {@link SettingsException} for a limit the backend
     *     cannot enforce, or with the cause the server could not listen
     */
    public static Future<EnvoyRateLimitService> start(
            Vertx vertx, Tollgate tollgate, EnvoyConfig config, EnvoyOptions options) {
        EnvoyRateLimitService service = new EnvoyRateLimitService(vertx, tollgate, options);
        try {
            service.updateConfig(config);
        } catch (SettingsException e) {
            return Future.failedFuture(e);
        }
        GrpcServerOptions grpcOptions = new GrpcServerOptions().setMaxMessageSize(options.maxMessageBytes());
        for (GrpcProtocol protocol : GrpcProtocol.values()) {
            if (protocol != GrpcProtocol.HTTP_2) {
                grpcOptions.removeEnabledProtocol(protocol);
            }
        }
        GrpcServer grpc = GrpcServer.server(vertx, grpcOptions);
        grpc.callHandler(SHOULD_RATE_LIMIT, service::call);
        HttpServerOptions http = new HttpServerOptions()
                .setHost(options.host())
                .setPort(options.port())
                .setHttp2ClearTextEnabled(true)
                .setMaxHeaderSize(16 * 1024)
                .setInitialSettings(
                        new Http2Settings().setMaxConcurrentStreams(1_000).setMaxHeaderListSize(16 * 1024));
        service.server = vertx.createHttpServer(http).requestHandler(request -> {
            // vertx-grpc-server leaves the call unanswered when a message is flagged compressed without a
            // grpc-encoding: naming one that is not supported makes such a message reach payload(), which refuses it
            if (!request.headers().contains(GRPC_ENCODING)) {
                request.headers().set(GRPC_ENCODING, UNDECLARED_ENCODING);
            }
            grpc.handle(request);
        });
        return service.server
                .listen()
                .map(listening -> service)
                .recover(failure -> service.decisions
                        .close()
                        .transform(closed -> service.limits.closeReplaced(LimitSet.EMPTY))
                        .transform(closed -> Future.failedFuture(failure)));
    }

    /** The port the service listens on. */
    public int port() {
        return server.actualPort();
    }

    /**
     * Puts {@code config} in force for the next requests. A limit whose descriptor path and spec did not change keeps
     * its counts; the limiters of the others are closed.
     *
     * @throws SettingsException for a limit the backend cannot enforce, naming where it is configured; the
     *     configuration in force then stays
     */
    public void updateConfig(EnvoyConfig config) {
        synchronized (updates) {
            LimitSet previous = limits;
            LimitSet next = previous.compile(config, tollgate);
            limits = next;
            previous.closeReplaced(next);
        }
    }

    /** The configuration in force. */
    public EnvoyConfig config() {
        return limits.config();
    }

    /**
     * Reloads the limits from {@code fileOrDirectory} whenever its files change, as envoyproxy/ratelimit reloads its
     * runtime directory: every {@code interval} the names, sizes and modification times of the files are compared
     * with the last ones seen (on a worker thread), and a change is read and put in force with {@link #updateConfig}.
     * A file that cannot be read or has a problem is logged, and the limits in force stay. Stops when the service is
     * closed.
     */
    public void watch(Path fileOrDirectory, Duration interval) {
        AtomicReference<String> seen = new AtomicReference<>(fingerprint(fileOrDirectory));
        AtomicBoolean checking = new AtomicBoolean();
        timers.add(vertx.setPeriodic(Math.max(1, interval.toMillis()), id -> {
            if (!checking.compareAndSet(false, true)) {
                return;
            }
            vertx.<Optional<EnvoyConfig>>executeBlocking(() -> {
                        String now = fingerprint(fileOrDirectory);
                        if (now.equals(seen.get())) {
                            return Optional.empty();
                        }
                        seen.set(now);
                        return Optional.of(EnvoyConfig.load(fileOrDirectory));
                    })
                    .onComplete(
                            loaded -> {
                                checking.set(false);
                                try {
                                    loaded.ifPresent(config -> {
                                        updateConfig(config);
                                        LOG.info("reloaded the Envoy rate limits from " + fileOrDirectory + ": domains "
                                                + config.domains());
                                    });
                                } catch (SettingsException e) {
                                    LOG.warning("the Envoy rate limits stay as they were: " + e.getMessage());
                                }
                            },
                            failure -> {
                                checking.set(false);
                                LOG.warning("the Envoy rate limits stay as they were: " + failure.getMessage());
                            });
        }));
    }

    /** The names, sizes and modification times of the files {@link EnvoyConfig#load} would read. */
    private static String fingerprint(Path fileOrDirectory) {
        StringBuilder print = new StringBuilder();
        try (Stream<Path> files =
                Files.isDirectory(fileOrDirectory) ? Files.list(fileOrDirectory) : Stream.of(fileOrDirectory)) {
            for (Path file : files.sorted().toList()) {
                print.append(file)
                        .append(' ')
                        .append(Files.size(file))
                        .append(' ')
                        .append(Files.getLastModifiedTime(file).toInstant())
                        .append('\n');
            }
        } catch (IOException | UncheckedIOException e) {
            print.append("unreadable: ").append(e.getMessage());
        }
        return print.toString();
    }

    /** Stops listening and closes the limiters. */
    public Future<Void> close() {
        timers.forEach(vertx::cancelTimer);
        timers.clear();
        Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
        return closed.transform(done -> decisions.close()).transform(done -> limits.closeReplaced(LimitSet.EMPTY));
    }

    private void call(GrpcServerRequest<Buffer, Buffer> request) {
        Buffer[] received = new Buffer[1];
        boolean[] answered = new boolean[1];
        GrpcServerResponse<Buffer, Buffer> response = request.response();
        long deadline = vertx.setTimer(options.callTimeout().toMillis(), fired -> {
            if (!answered[0]) {
                answered[0] = true;
                refuse(response, GrpcStatus.DEADLINE_EXCEEDED, "the request was not sent in time");
            }
        });
        response.exceptionHandler(failure -> vertx.cancelTimer(deadline));
        request.messageHandler(message -> {
            if (answered[0]) {
                return;
            }
            if (received[0] != null) {
                answered[0] = true;
                refuse(response, GrpcStatus.INVALID_ARGUMENT, "ShouldRateLimit takes one message");
                return;
            }
            try {
                received[0] = payload(message);
            } catch (MalformedMessageException e) {
                answered[0] = true;
                refuse(response, GrpcStatus.INVALID_ARGUMENT, e.getMessage());
            }
        });
        request.exceptionHandler(failure -> answered[0] = true);
        request.endHandler(end -> {
            vertx.cancelTimer(deadline);
            if (answered[0]) {
                return;
            }
            answered[0] = true;
            if (received[0] == null) {
                refuse(response, GrpcStatus.INVALID_ARGUMENT, "no RateLimitRequest was sent");
                return;
            }
            RateLimitRequest decoded;
            try {
                decoded = RateLimitRequest.decode(received[0].getBytes(), bounds);
            } catch (MalformedMessageException e) {
                refuse(response, GrpcStatus.INVALID_ARGUMENT, "not a valid RateLimitRequest: " + e.getMessage());
                return;
            }
            Future<RateLimitResponse> answer;
            try {
                answer = decisions.decide(decoded);
            } catch (RuntimeException e) {
                answer = Future.failedFuture(e);
            }
            answer.onComplete(decided -> response.end(decided.encode()), failure -> {
                if (failure instanceof MalformedMessageException) {
                    refuse(response, GrpcStatus.INVALID_ARGUMENT, failure.getMessage());
                } else if (failure instanceof LimiterUnavailableException) {
                    refuse(response, GrpcStatus.UNAVAILABLE, failure.getMessage());
                } else {
                    LOG.log(Level.WARNING, "ShouldRateLimit failed", failure);
                    refuse(response, GrpcStatus.INTERNAL, "the rate-limit service failed");
                }
            });
        });
    }

    /** The message's bytes: as sent, or inflated when gzip-compressed (at most {@code maxMessageBytes} of them). */
    private Buffer payload(GrpcMessage message) {
        if (message.format() != WireFormat.PROTOBUF) {
            throw new MalformedMessageException("only protobuf messages (application/grpc) are served");
        }
        switch (message.encoding()) {
            case "identity" -> {
                return message.payload();
            }
            case "gzip" -> {
                return inflate(message.payload());
            }
            case UNDECLARED_ENCODING ->
                throw new MalformedMessageException(
                        "a message is flagged compressed, but the call has no grpc-encoding");
            default -> throw new MalformedMessageException("unsupported message encoding " + message.encoding());
        }
    }

    private Buffer inflate(Buffer compressed) {
        int max = options.maxMessageBytes();
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed.getBytes()))) {
            byte[] inflated = in.readNBytes(max + 1);
            if (inflated.length > max) {
                throw new MalformedMessageException("the message inflates to more than " + max + " bytes");
            }
            return Buffer.buffer(inflated);
        } catch (IOException e) {
            throw new MalformedMessageException("the message is not valid gzip");
        }
    }

    private static void refuse(GrpcServerResponse<Buffer, Buffer> response, GrpcStatus status, String message) {
        answer(() -> response.status(status).statusMessage(message).end());
    }

    /**
     * Answers unless the stream is answered already: the gRPC server ends a call with a message past the size bound
     * itself, and a client may reset a call while it is decided; the response then throws.
     */
    private static void answer(Runnable answer) {
        try {
            answer.run();
        } catch (IllegalStateException closed) {
            LOG.log(Level.FINE, "a call was over before its answer", closed);
        }
    }
}
