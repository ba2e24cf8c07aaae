package dev.tollgate.envoy;

import com.google.protobuf.UInt64Value;
import io.envoyproxy.envoy.extensions.common.ratelimit.v3.RateLimitDescriptor;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.concurrent.TimeUnit;

/** Envoy's side of the service: the gRPC client generated from Envoy's protos, as Java control planes use it. */
final class EnvoyClient implements AutoCloseable {

    private final ManagedChannel channel;

    EnvoyClient(int port) {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port)
                .usePlaintext()
                .maxInboundMessageSize(1 << 20)
                .build();
    }

    RateLimitResponse shouldRateLimit(RateLimitRequest request) {
        return RateLimitServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .shouldRateLimit(request);
    }

    /** A request of {@code domain} with one descriptor of these keys and values. */
    RateLimitResponse ask(String domain, String... keysAndValues) {
        return shouldRateLimit(RateLimitRequest.newBuilder()
                .setDomain(domain)
                .addDescriptors(descriptor(keysAndValues))
                .build());
    }

    static RateLimitDescriptor.Builder descriptor(String... keysAndValues) {
        RateLimitDescriptor.Builder descriptor = RateLimitDescriptor.newBuilder();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            descriptor.addEntries(RateLimitDescriptor.Entry.newBuilder()
                    .setKey(keysAndValues[i])
                    .setValue(keysAndValues[i + 1]));
        }
        return descriptor;
    }

    static RateLimitDescriptor.Builder descriptorWithHits(long hits, String... keysAndValues) {
        return descriptor(keysAndValues).setHitsAddend(UInt64Value.of(hits));
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
