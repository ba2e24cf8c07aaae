package dev.tollgate.envoy;

import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code envoy.service.ratelimit.v3.RateLimitResponse}, the answer to a {@link RateLimitRequest}, with the fields the
 * service sets.
 *
 * @param overallCode {@code OVER_LIMIT} when Envoy is to refuse the request
 * @param statuses one per descriptor of the request, in its order
 * @param responseHeaders headers Envoy adds to its response to the client
 * @param requestHeaders headers Envoy adds to the request it sends upstream
 */
record RateLimitResponse(
        Code overallCode, List<DescriptorStatus> statuses, List<Header> responseHeaders, List<Header> requestHeaders) {

    // field numbers of envoy/service/ratelimit/v3/rls.proto, config/core/v3/base.proto, google/protobuf/duration.proto
    private static final int OVERALL_CODE = 1;
    private static final int STATUSES = 2;
    private static final int RESPONSE_HEADERS_TO_ADD = 3;
    private static final int REQUEST_HEADERS_TO_ADD = 4;
    private static final int STATUS_CODE = 1;
    private static final int STATUS_CURRENT_LIMIT = 2;
    private static final int STATUS_LIMIT_REMAINING = 3;
    private static final int STATUS_DURATION_UNTIL_RESET = 4;
    private static final int LIMIT_REQUESTS_PER_UNIT = 1;
    private static final int LIMIT_UNIT = 2;
    private static final int LIMIT_NAME = 3;
    private static final int HEADER_KEY = 1;
    private static final int HEADER_VALUE = 2;
    private static final int DURATION_SECONDS = 1;
    private static final int DURATION_NANOS = 2;

    /** The largest {@code uint32}: the remaining of an unlimited descriptor, as envoyproxy/ratelimit sends it. */
    static final long MAX_UINT32 = 0xFFFF_FFFFL;

    RateLimitResponse {
        statuses = List.copyOf(statuses);
        responseHeaders = List.copyOf(responseHeaders);
        requestHeaders = List.copyOf(requestHeaders);
    }

    /** {@code RateLimitResponse.Code}. */
    enum Code {
        OK(1),
        OVER_LIMIT(2);

        final int number;

        Code(int number) {
            this.number = number;
        }
    }

    /**
     * {@code RateLimitResponse.DescriptorStatus}.
     *
     * @param currentLimit the limit that applied; empty when none did
     * @param limitRemaining what is left of it, at most {@link #MAX_UINT32}
     * @param durationUntilReset until the window ends; empty when no limit applied
     */
    record DescriptorStatus(
            Code code,
            Optional<CurrentLimit> currentLimit,
            long limitRemaining,
            Optional<Duration> durationUntilReset) {}

    /** {@code RateLimitResponse.RateLimit}: the name is empty when the configuration gives none. */
    record CurrentLimit(String name, long requestsPerUnit, RateLimitUnit unit) {}

    /** {@code config.core.v3.HeaderValue}. */
    record Header(String key, String value) {}

    /** The protobuf bytes of this response. */
    Buffer encode() {
        ProtoWriter out = new ProtoWriter().varint(OVERALL_CODE, overallCode.number);
        for (DescriptorStatus status : statuses) {
            ProtoWriter s = new ProtoWriter().varint(STATUS_CODE, status.code().number);
            status.currentLimit()
                    .ifPresent(limit -> s.message(
                            STATUS_CURRENT_LIMIT,
                            new ProtoWriter()
                                    .varint(LIMIT_REQUESTS_PER_UNIT, limit.requestsPerUnit())
                                    .varint(LIMIT_UNIT, limit.unit().number())
                                    .string(LIMIT_NAME, limit.name())));
            s.varint(STATUS_LIMIT_REMAINING, Math.min(MAX_UINT32, status.limitRemaining()));
            status.durationUntilReset()
                    .ifPresent(d -> s.message(
                            STATUS_DURATION_UNTIL_RESET,
                            new ProtoWriter()
                                    .varint(DURATION_SECONDS, d.getSeconds())
                                    .varint(DURATION_NANOS, d.getNano())));
            out.message(STATUSES, s);
        }
        headers(out, RESPONSE_HEADERS_TO_ADD, responseHeaders);
        headers(out, REQUEST_HEADERS_TO_ADD, requestHeaders);
        return out.buffer();
    }

    private static void headers(ProtoWriter out, int field, List<Header> headers) {
        for (Header header : headers) {
            out.message(
                    field, new ProtoWriter().string(HEADER_KEY, header.key()).string(HEADER_VALUE, header.value()));
        }
    }
}
