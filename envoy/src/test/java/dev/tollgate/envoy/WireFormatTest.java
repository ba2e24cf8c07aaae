package dev.tollgate.envoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UInt64Value;
import com.google.protobuf.UnknownFieldSet;
import dev.tollgate.envoy.RateLimitResponse.Code;
import dev.tollgate.envoy.RateLimitResponse.CurrentLimit;
import dev.tollgate.envoy.RateLimitResponse.DescriptorStatus;
import dev.tollgate.envoy.RateLimitResponse.Header;
import io.envoyproxy.envoy.extensions.common.ratelimit.v3.RateLimitDescriptor;
import io.envoyproxy.envoy.type.v3.RateLimitUnit;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The hand-made protobuf reader and writer against the classes generated from Envoy's own protos. */
class WireFormatTest {

    private static final RequestBounds BOUNDS = new RequestBounds(4, 3, 32, 64);

    private static RateLimitDescriptor.Entry entry(String key, String value) {
        return RateLimitDescriptor.Entry.newBuilder()
                .setKey(key)
                .setValue(value)
                .build();
    }

    @Test
    void readsEveryFieldOfARequestAsEnvoyWritesIt() {
        var request = io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest.newBuilder()
                .setDomain("edge")
                .setHitsAddend(3)
                .addDescriptors(RateLimitDescriptor.newBuilder()
                        .addEntries(entry("remote_address", "203.0.113.5"))
                        .addEntries(entry("path", "/api/ünïcode")))
                .addDescriptors(RateLimitDescriptor.newBuilder()
                        .addEntries(entry("user", ""))
                        .setLimit(RateLimitDescriptor.RateLimitOverride.newBuilder()
                                .setRequestsPerUnit(42)
                                .setUnit(RateLimitUnit.HOUR))
                        .setHitsAddend(UInt64Value.of(0)))
                .addDescriptors(RateLimitDescriptor.newBuilder()
                        .addEntries(entry("k", "v"))
                        .setHitsAddend(UInt64Value.of(7)))
                .build();

        RateLimitRequest read = RateLimitRequest.decode(request.toByteArray(), BOUNDS);

        assertThat(read.domain()).isEqualTo("edge");
        assertThat(read.hitsAddend()).isEqualTo(3);
        assertThat(read.descriptors()).hasSize(3);
        assertThat(read.descriptors().get(0).entries())
                .containsExactly(
                        new RateLimitRequest.Entry("remote_address", "203.0.113.5"),
                        new RateLimitRequest.Entry("path", "/api/ünïcode"));
        assertThat(read.descriptors().get(0).limit()).isEmpty();
        assertThat(read.descriptors().get(0).hitsAddend()).isEmpty();
        assertThat(read.descriptors().get(1).entries()).containsExactly(new RateLimitRequest.Entry("user", ""));
        assertThat(read.descriptors().get(1).limit()).contains(new RateLimitRequest.LimitOverride(42, 3));
        assertThat(read.descriptors().get(1).hitsAddend())
                .as("a wrapper holding 0 is there")
                .isEqualTo(OptionalLong.of(0));
        assertThat(read.hitsOf(0)).isEqualTo(3);
        assertThat(read.hitsOf(1)).isZero();
        assertThat(read.hitsOf(2)).isEqualTo(7);
    }

    @Test
    void aRequestWithoutHitsAddendCostsOne() {
        var request = io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest.newBuilder()
                .setDomain("d")
                .addDescriptors(RateLimitDescriptor.newBuilder().addEntries(entry("a", "b")))
                .build();
        assertThat(RateLimitRequest.decode(request.toByteArray(), BOUNDS).hitsOf(0))
                .isEqualTo(1);
    }

    @Test
    void skipsUnknownFieldsOfEveryWireType() {
        UnknownFieldSet unknown = UnknownFieldSet.newBuilder()
                .addField(
                        90,
                        UnknownFieldSet.Field.newBuilder()
                                .addVarint(Long.MIN_VALUE)
                                .addFixed32(7)
                                .addFixed64(-1L)
                                .addLengthDelimited(ByteString.copyFromUtf8("unknown"))
                                .addGroup(UnknownFieldSet.newBuilder()
                                        .addField(
                                                1,
                                                UnknownFieldSet.Field.newBuilder()
                                                        .addGroup(UnknownFieldSet.newBuilder()
                                                                .addField(
                                                                        2,
                                                                        UnknownFieldSet.Field.newBuilder()
                                                                                .addVarint(1)
                                                                                .build())
                                                                .build())
                                                        .build())
                                        .build())
                                .build())
                .build();
        var request = io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest.newBuilder()
                .setUnknownFields(unknown)
                .setDomain("edge")
                .addDescriptors(RateLimitDescriptor.newBuilder()
                        .setUnknownFields(unknown)
                        .addEntries(entry("a", "b").toBuilder().setUnknownFields(unknown)))
                .build();

        RateLimitRequest read = RateLimitRequest.decode(request.toByteArray(), BOUNDS);

        assertThat(read.domain()).isEqualTo("edge");
        assertThat(read.descriptors().get(0).entries()).containsExactly(new RateLimitRequest.Entry("a", "b"));
    }

    @Test
    void writesAResponseEnvoysClassesRead() throws Exception {
        RateLimitResponse response = new RateLimitResponse(
                Code.OVER_LIMIT,
                List.of(
                        new DescriptorStatus(
                                Code.OVER_LIMIT,
                                Optional.of(new CurrentLimit("per_ip", 10, dev.tollgate.envoy.RateLimitUnit.WEEK)),
                                0,
                                Optional.of(Duration.ofSeconds(12, 500))),
                        new DescriptorStatus(
                                Code.OK, Optional.empty(), RateLimitResponse.MAX_UINT32, Optional.empty())),
                List.of(new Header("X-RateLimit-Limit", "10")),
                List.of(new Header("X-Tollgate", "over")));

        var read = io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.parseFrom(
                response.encode().getBytes());

        assertThat(read.getOverallCode())
                .isEqualTo(io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.Code.OVER_LIMIT);
        assertThat(read.getStatusesCount()).isEqualTo(2);
        var first = read.getStatuses(0);
        assertThat(first.getCurrentLimit().getName()).isEqualTo("per_ip");
        assertThat(first.getCurrentLimit().getRequestsPerUnit()).isEqualTo(10);
        assertThat(first.getCurrentLimit().getUnit())
                .isEqualTo(io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.RateLimit.Unit.WEEK);
        assertThat(first.getLimitRemaining()).isZero();
        assertThat(first.getDurationUntilReset().getSeconds()).isEqualTo(12);
        assertThat(first.getDurationUntilReset().getNanos()).isEqualTo(500);
        assertThat(read.getStatuses(1).hasCurrentLimit()).isFalse();
        assertThat(read.getStatuses(1).getLimitRemaining()).as("uint32 max").isEqualTo(-1);
        assertThat(read.getResponseHeadersToAdd(0).getKey()).isEqualTo("X-RateLimit-Limit");
        assertThat(read.getResponseHeadersToAdd(0).getValue()).isEqualTo("10");
        assertThat(read.getRequestHeadersToAdd(0).getKey()).isEqualTo("X-Tollgate");
        assertThat(read.getUnknownFields().asMap()).isEmpty();
    }

    @Test
    void refusesMoreDescriptorsEntriesOrBytesThanTheBounds() {
        var tooMany = io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest.newBuilder()
                .setDomain("d");
        for (int i = 0; i < 5; i++) {
            tooMany.addDescriptors(RateLimitDescriptor.newBuilder().addEntries(entry("k", "v" + i)));
        }
        assertThatThrownBy(() -> RateLimitRequest.decode(tooMany.build().toByteArray(), BOUNDS))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage("more than 4 descriptors in one request");

        var deep = RateLimitDescriptor.newBuilder();
        for (int i = 0; i < 4; i++) {
            deep.addEntries(entry("k" + i, "v"));
        }
        byte[] deepRequest = io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest.newBuilder()
                .setDomain("d")
                .addDescriptors(deep)
                .build()
                .toByteArray();
        assertThatThrownBy(() -> RateLimitRequest.decode(deepRequest, BOUNDS))
                .hasMessage("more than 3 entries in one descriptor");

        byte[] longValue = io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest.newBuilder()
                .setDomain("d")
                .addDescriptors(RateLimitDescriptor.newBuilder().addEntries(entry("k", "é".repeat(33))))
                .build()
                .toByteArray();
        assertThatThrownBy(() -> RateLimitRequest.decode(longValue, BOUNDS))
                .as("bytes, not characters: 33 two-byte characters")
                .hasMessage("a descriptor entry's value is 66 bytes, more than the 64 allowed");

        byte[] longKey = io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest.newBuilder()
                .setDomain("d")
                .addDescriptors(RateLimitDescriptor.newBuilder().addEntries(entry("k".repeat(33), "v")))
                .build()
                .toByteArray();
        assertThatThrownBy(() -> RateLimitRequest.decode(longKey, BOUNDS))
                .hasMessage("a descriptor entry's key is 33 bytes, more than the 32 allowed");
    }

    @Test
    void refusesBytesThatAreNoMessage() {
        List<byte[]> garbage = List.of(
                new byte[] {0x0A, 0x05, 'a'}, // a length past the end
                new byte[] {(byte) 0x80, (byte) 0x80}, // a varint that never ends
                bytes(0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01), // eleven bytes
                new byte[] {0x07}, // wire type 7
                new byte[] {0x00}, // field number 0
                new byte[] {0x0C}, // a group that ends without starting
                new byte[] {0x0B, 0x08, 0x01}, // a group that never ends
                new byte[] {0x0B, 0x14}, // a group that ends as another
                new byte[] {0x0A, 0x02, (byte) 0xC3, 0x28}, // a domain that is not UTF-8
                new byte[] {0x0D, 0x01, 0x02}, // a fixed32 cut short
                new byte[] {0x09, 0x01}, // a fixed64 cut short
                new byte[] {0x12, 0x03, 0x0A, 0x05, 0x0A}); // an entry longer than its descriptor
        for (byte[] bytes : garbage) {
            assertThatThrownBy(() -> RateLimitRequest.decode(bytes, BOUNDS))
                    .as(Arrays.toString(bytes))
                    .isInstanceOf(MalformedMessageException.class);
        }
        byte[] nested = new byte[200];
        for (int i = 0; i < nested.length; i++) {
            nested[i] = 0x0B; // groups of field 1, each inside the last
        }
        assertThatThrownBy(() -> RateLimitRequest.decode(nested, BOUNDS)).hasMessageContaining("nested");
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }
}
