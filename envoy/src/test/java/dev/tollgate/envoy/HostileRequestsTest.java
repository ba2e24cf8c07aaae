package dev.tollgate.envoy;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Tollgate;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.ManualClock;
import dev.tollgate.test.support.Await;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a hostile or broken client sends, over a raw HTTP/2 connection (h2c with prior knowledge, as Envoy connects):
 * every one is answered with a gRPC status, and the service goes on serving.
 */
class HostileRequestsTest {

    private static final String PATH = "/envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit";

    /** A valid request: domain "messaging", one descriptor with the entry to_number=1. */
    private static final byte[] VALID = {
        0x0A, 0x09, 'm', 'e', 's', 's', 'a', 'g', 'i', 'n', 'g', 0x12, 0x10, 0x0A, 0x0E, 0x0A, 0x09, 't', 'o', '_', 'n',
        'u', 'm', 'b', 'e', 'r', 0x12, 0x01, '1'
    };

    private final Vertx vertx = Vertx.vertx();
    private final Tollgate tollgate = Tollgate.builder()
            .vertx(vertx)
            .limiterOptions(LimiterOptions.defaults().withClock(ManualClock.at(Instant.parse("2027-01-01T00:00:10Z"))))
            .build();
    private final HttpClient client = vertx.createHttpClient(
            new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    private EnvoyRateLimitService service;

    /** What came back: the HTTP status, and the gRPC status and message from the trailers (or trailers-only headers). */
    private record Answer(int httpStatus, String grpcStatus, String grpcMessage, Buffer body) {}

    @BeforeEach
    void start() {
        service = await(EnvoyRateLimitService.start(
                vertx,
                tollgate,
                EnvoyConfig.parse(Map.of("messaging.yaml", EnvoyRateLimitServiceTest.CONFIG)),
                EnvoyOptions.defaults().withHost("127.0.0.1").withPort(0)));
    }

    @AfterEach
    void tearDown() {
        await(service.close());
        Await.close(vertx);
    }

    /** Sends {@code body} and reads the answer whole, on a Vert.x context ({@link Await#awaitOnContext} says why). */
    private Answer send(String path, MultiMap headers, Buffer body) {
        return Await.awaitOnContext(
                vertx,
                () -> client.request(HttpMethod.POST, service.port(), "127.0.0.1", path)
                        .compose(request -> {
                            request.headers().addAll(headers);
                            return request.send(body);
                        })
                        .compose(response -> response.body().map(received -> {
                            MultiMap trailers =
                                    response.trailers().isEmpty() ? response.headers() : response.trailers();
                            String message = trailers.get("grpc-message");
                            return new Answer(
                                    response.statusCode(),
                                    trailers.get("grpc-status"),
                                    // percent-encoded, as gRPC sends it
                                    message == null ? null : URLDecoder.decode(message, StandardCharsets.UTF_8),
                                    received);
                        })));
    }

    private Answer send(Buffer body) {
        return send(PATH, grpcHeaders(), body);
    }

    private static MultiMap grpcHeaders() {
        return MultiMap.caseInsensitiveMultiMap()
                .add("content-type", "application/grpc")
                .add("te", "trailers");
    }

    /** A gRPC length-prefixed message. */
    private static Buffer frame(boolean compressed, byte[] payload) {
        return Buffer.buffer()
                .appendByte((byte) (compressed ? 1 : 0))
                .appendInt(payload.length)
                .appendBytes(payload);
    }

    private void assertStillServes() {
        Answer answer = send(frame(false, VALID));
        assertThat(answer.grpcStatus()).isEqualTo("0");
        assertThat(answer.body().length()).as("a RateLimitResponse").isGreaterThan(5);
    }

    @Test
    void garbageIsInvalidArgument() {
        Answer answer = send(frame(false, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 0x01}));

        assertThat(answer.httpStatus()).isEqualTo(200);
        assertThat(answer.grpcStatus()).isEqualTo("3");
        assertThat(answer.grpcMessage()).startsWith("not a valid RateLimitRequest");
        assertStillServes();
    }

    @Test
    void aMessageCutShortIsInvalidArgument() {
        Buffer cut = Buffer.buffer().appendByte((byte) 0).appendInt(100).appendBytes(VALID);

        assertThat(send(cut).grpcStatus()).isEqualTo("3");
        assertThat(send(Buffer.buffer(new byte[] {0, 0})).grpcStatus())
                .as("not even a frame header")
                .isEqualTo("3");
        assertThat(send(Buffer.buffer()).grpcStatus()).as("nothing at all").isEqualTo("3");
        assertStillServes();
    }

    @Test
    void twoMessagesInOneCallAreInvalidArgument() {
        Answer answer = send(frame(false, VALID).appendBuffer(frame(false, VALID)));

        assertThat(answer.grpcStatus()).isEqualTo("3");
        assertThat(answer.grpcMessage()).isEqualTo("ShouldRateLimit takes one message");
    }

    @Test
    void aMessageLargerThanTheBoundIsRefusedBeforeItIsRead() {
        Buffer claim = Buffer.buffer().appendByte((byte) 0).appendInt(1 << 30).appendBytes(new byte[1024]);

        assertThat(send(claim).grpcStatus()).as("RESOURCE_EXHAUSTED").isEqualTo("8");
        assertStillServes();
    }

    @Test
    void aCompressedMessageInflatingPastTheBoundIsInvalidArgument() throws IOException {
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bomb)) {
            gzip.write(new byte[4 << 20]);
        }
        assertThat(bomb.size()).as("small enough to pass the message bound").isLessThan(64 * 1024);
        MultiMap headers = grpcHeaders().add("grpc-encoding", "gzip");

        Answer answer = send(PATH, headers, frame(true, bomb.toByteArray()));

        assertThat(answer.grpcStatus()).isEqualTo("3");
        assertThat(answer.grpcMessage()).isEqualTo("the message inflates to more than 65536 bytes");

        ByteArrayOutputStream valid = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(valid)) {
            gzip.write(VALID);
        }
        assertThat(send(PATH, headers, frame(true, valid.toByteArray())).grpcStatus())
                .as("a compressed request within the bound is served")
                .isEqualTo("0");
        assertThat(send(PATH, headers, frame(true, VALID)).grpcStatus())
                .as("not gzip at all")
                .isEqualTo("3");
    }

    @Test
    void aCompressedMessageWithoutAnEncodingIsAnswered() {
        Answer answer = send(frame(true, VALID));

        assertThat(answer.grpcStatus()).isEqualTo("3");
        assertThat(answer.grpcMessage())
                .isEqualTo("a message is flagged compressed, but the call has no grpc-encoding");
        assertStillServes();
    }

    @Test
    void aCallThatNeverFinishesSendingIsEndedAtItsDeadline() {
        EnvoyRateLimitService patient = await(EnvoyRateLimitService.start(
                vertx,
                tollgate,
                EnvoyConfig.parse(Map.of("messaging.yaml", EnvoyRateLimitServiceTest.CONFIG)),
                EnvoyOptions.defaults()
                        .withHost("127.0.0.1")
                        .withPort(0)
                        .withCallTimeout(java.time.Duration.ofMillis(200))));
        try {
            // read whole on a Vert.x context (Await.awaitOnContext says why)
            Answer answer = Await.awaitOnContext(
                    vertx,
                    () -> client.request(HttpMethod.POST, patient.port(), "127.0.0.1", PATH)
                            .compose(request -> {
                                request.headers().addAll(grpcHeaders());
                                request.setChunked(true).write(frame(false, VALID));
                                return request.response();
                            })
                            .compose(response -> response.body()
                                    .map(received -> new Answer(
                                            response.statusCode(),
                                            (response.trailers().isEmpty() ? response.headers() : response.trailers())
                                                    .get("grpc-status"),
                                            null,
                                            received))));

            assertThat(answer.grpcStatus()).as("DEADLINE_EXCEEDED").isEqualTo("4");
        } finally {
            await(patient.close());
        }
    }

    @Test
    void jsonAndUnknownMethodsAreRefused() {
        MultiMap json = MultiMap.caseInsensitiveMultiMap()
                .add("content-type", "application/grpc+json")
                .add("te", "trailers");
        assertThat(send(PATH, json, frame(false, "{\"domain\":\"messaging\"}".getBytes(StandardCharsets.UTF_8)))
                        .grpcStatus())
                .isEqualTo("3");
        assertThat(send("/envoy.service.ratelimit.v3.RateLimitService/Other", grpcHeaders(), frame(false, VALID))
                        .grpcStatus())
                .as("UNIMPLEMENTED")
                .isEqualTo("12");
        assertStillServes();
    }

    @Test
    void aLongEntryValueIsRefusedByItsBytes() {
        byte[] value = new byte[1025];
        java.util.Arrays.fill(value, (byte) 'x');
        Buffer entry = Buffer.buffer()
                .appendBytes(new byte[] {0x0A, 0x01, 'k', 0x12})
                .appendBytes(varint(value.length))
                .appendBytes(value);
        Buffer descriptor = Buffer.buffer()
                .appendByte((byte) 0x0A)
                .appendBytes(varint(entry.length()))
                .appendBuffer(entry);
        Buffer request = Buffer.buffer()
                .appendBytes(new byte[] {0x0A, 0x01, 'd', 0x12})
                .appendBytes(varint(descriptor.length()))
                .appendBuffer(descriptor);

        Answer answer = send(frame(false, request.getBytes()));

        assertThat(answer.grpcStatus()).isEqualTo("3");
        assertThat(answer.grpcMessage())
                .isEqualTo(
                        "not a valid RateLimitRequest: a descriptor entry's value is 1025 bytes, more than the 1024 allowed");
    }

    private static byte[] varint(int value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rest = value;
        while ((rest & ~0x7F) != 0) {
            out.write((rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        out.write(rest);
        return out.toByteArray();
    }
}
