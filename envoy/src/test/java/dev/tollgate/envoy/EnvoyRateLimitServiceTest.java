package dev.tollgate.envoy;

import static dev.tollgate.envoy.EnvoyClient.descriptor;
import static dev.tollgate.envoy.EnvoyClient.descriptorWithHits;
import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.Addresses;
import dev.tollgate.core.Tollgate;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.ManualClock;
import dev.tollgate.test.support.Await;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.extensions.common.ratelimit.v3.RateLimitDescriptor;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.Code;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.DescriptorStatus;
import io.envoyproxy.envoy.type.v3.RateLimitUnit;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The service over a real socket, asked by Envoy's own gRPC client classes. */
class EnvoyRateLimitServiceTest {

    /** Ten seconds into a day, a minute and an hour: windows end at known times. */
    private static final Instant START = Instant.parse("2027-01-01T00:00:10Z");

    static final String CONFIG = """
            domain: messaging
            descriptors:
              - key: message_type
                value: marketing
                descriptors:
                  - key: to_number
                    rate_limit:
                      name: marketing
                      unit: day
                      requests_per_unit: 5
              - key: to_number
                rate_limit:
                  unit: day
                  requests_per_unit: 100
              - key: api_key
                shadow_mode: true
                rate_limit:
                  unit: minute
                  requests_per_unit: 1
              - key: ldap
                rate_limit:
                  unlimited: true
              - key: remote_address
                rate_limit:
                  unit: second
                  requests_per_unit: 10
              - key: remote_address
                value: 50.0.0.5
                rate_limit:
                  unit: second
                  requests_per_unit: 0
              - key: tenant
                algorithm: token-bucket
                rate_limit:
                  name: per_tenant
                  unit: hour
                  requests_per_unit: 2
              - key: vip
                rate_limit:
                  unit: hour
                  requests_per_unit: 50
                  replaces:
                    - name: per_tenant
              - key: quota_a
                quota_mode: true
                rate_limit: { unit: hour, requests_per_unit: 1 }
              - key: quota_b
                quota_mode: true
                rate_limit: { unit: hour, requests_per_unit: 1 }
            """;

    private final Vertx vertx = Vertx.vertx();
    private final ManualClock clock = ManualClock.at(START);
    private final Tollgate tollgate = Tollgate.builder()
            .vertx(vertx)
            .limiterOptions(LimiterOptions.defaults().withClock(clock))
            .build();
    private final List<RateLimitEvent> events = new CopyOnWriteArrayList<>();
    private EnvoyRateLimitService service;
    private EnvoyClient envoy;

    private void start(EnvoyOptions options) {
        await(vertx.eventBus()
                .<RateLimitEvent>consumer(Addresses.EVENTS, message -> events.add(message.body()))
                .completion());
        service = await(EnvoyRateLimitService.start(
                vertx,
                tollgate,
                EnvoyConfig.parse(Map.of("messaging.yaml", CONFIG)),
                options.withHost("127.0.0.1").withPort(0)));
        envoy = new EnvoyClient(service.port());
    }

    private void start() {
        start(EnvoyOptions.defaults());
    }

    @AfterEach
    void tearDown() {
        if (envoy != null) {
            envoy.close();
        }
        if (service != null) {
            await(service.close());
        }
        Await.close(vertx);
    }

    private static Map<String, String> headers(RateLimitResponse response) {
        return response.getResponseHeadersToAddList().stream()
                .collect(Collectors.toMap(HeaderValue::getKey, HeaderValue::getValue));
    }

    private void awaitEvents(int count) {
        Await.until(() -> events.size() >= count, count + " events");
    }

    @Test
    void nestedDescriptorsCountEachValueOfAValuelessDescriptorApart() {
        start();
        for (int i = 1; i <= 5; i++) {
            RateLimitResponse ok = envoy.ask("messaging", "message_type", "marketing", "to_number", "2061111111");
            assertThat(ok.getOverallCode()).isEqualTo(Code.OK);
            DescriptorStatus status = ok.getStatuses(0);
            assertThat(status.getCode()).isEqualTo(Code.OK);
            assertThat(status.getLimitRemaining()).isEqualTo(5 - i);
        }
        RateLimitResponse over = envoy.ask("messaging", "message_type", "marketing", "to_number", "2061111111");
        assertThat(over.getOverallCode()).isEqualTo(Code.OVER_LIMIT);
        DescriptorStatus status = over.getStatuses(0);
        assertThat(status.getCode()).isEqualTo(Code.OVER_LIMIT);
        assertThat(status.getCurrentLimit().getName()).isEqualTo("marketing");
        assertThat(status.getCurrentLimit().getRequestsPerUnit()).isEqualTo(5);
        assertThat(status.getCurrentLimit().getUnit()).isEqualTo(RateLimitResponse.RateLimit.Unit.DAY);
        assertThat(status.getLimitRemaining()).isZero();
        assertThat(status.getDurationUntilReset().getSeconds())
                .as("the day's window ends at midnight")
                .isEqualTo(Duration.ofDays(1).minusSeconds(10).toSeconds());

        RateLimitResponse otherNumber = envoy.ask("messaging", "message_type", "marketing", "to_number", "2062222222");
        assertThat(otherNumber.getOverallCode())
                .as("another value, another counter")
                .isEqualTo(Code.OK);
        assertThat(otherNumber.getStatuses(0).getLimitRemaining()).isEqualTo(4);

        clock.advance(Duration.ofDays(1));
        assertThat(envoy.ask("messaging", "message_type", "marketing", "to_number", "2061111111")
                        .getOverallCode())
                .as("a new day")
                .isEqualTo(Code.OK);
    }

    @Test
    void oneDescriptorOverTheLimitMakesTheWholeRequestOverTheLimit() {
        start();
        RateLimitRequest request = RateLimitRequest.newBuilder()
                .setDomain("messaging")
                .addDescriptors(descriptor("message_type", "marketing", "to_number", "1"))
                .addDescriptors(descriptor("to_number", "1"))
                .addDescriptors(descriptor("remote_address", "50.0.0.5"))
                .build();

        RateLimitResponse response = envoy.shouldRateLimit(request);

        assertThat(response.getOverallCode()).isEqualTo(Code.OVER_LIMIT);
        assertThat(response.getStatusesList())
                .extracting(DescriptorStatus::getCode)
                .containsExactly(Code.OK, Code.OK, Code.OVER_LIMIT);
        assertThat(response.getStatuses(1).getLimitRemaining()).isEqualTo(99);
        assertThat(response.getStatuses(2).getCurrentLimit().getRequestsPerUnit())
                .as("a limit of 0 refuses everything, the most specific match winning over the key alone")
                .isZero();
        assertThat(envoy.ask("messaging", "remote_address", "50.0.0.6")
                        .getStatuses(0)
                        .getLimitRemaining())
                .isEqualTo(9);
    }

    @Test
    void aShadowDescriptorReportsItsRefusalsButNeverRefuses() {
        start();
        assertThat(envoy.ask("messaging", "api_key", "abc").getOverallCode()).isEqualTo(Code.OK);
        RateLimitResponse second = envoy.ask("messaging", "api_key", "abc");

        assertThat(second.getOverallCode()).isEqualTo(Code.OK);
        assertThat(second.getStatuses(0).getCode()).isEqualTo(Code.OK);
        assertThat(second.getStatuses(0).getLimitRemaining()).isZero();
        awaitEvents(2);
        RateLimitEvent refused = events.get(1);
        assertThat(refused.allowed()).as("served").isTrue();
        assertThat(refused.shadow())
                .as("though the shadow limit would have refused")
                .isTrue();
        assertThat(refused.ruleName()).isEqualTo("messaging.api_key");
        assertThat(decisions("messaging.api_key", "shadow_blocked")).isEqualTo(1);
        assertThat(decisions("messaging.api_key", "allowed")).isEqualTo(1);
    }

    @Test
    void unlimitedUnconfiguredAndUnknownDomainsAreOk() {
        start();
        RateLimitResponse response = envoy.shouldRateLimit(RateLimitRequest.newBuilder()
                .setDomain("messaging")
                .addDescriptors(descriptor("ldap", "cn=admin"))
                .addDescriptors(descriptor("nothing", "configured"))
                .addDescriptors(descriptor("message_type", "marketing"))
                .build());

        assertThat(response.getOverallCode()).isEqualTo(Code.OK);
        assertThat(response.getStatuses(0).getCode()).isEqualTo(Code.OK);
        assertThat(response.getStatuses(0).getLimitRemaining())
                .as("unlimited: the largest uint32, as envoyproxy/ratelimit sends")
                .isEqualTo(-1);
        assertThat(response.getStatuses(0).hasCurrentLimit()).isFalse();
        assertThat(response.getStatuses(1).hasCurrentLimit()).isFalse();
        assertThat(response.getStatuses(2).hasCurrentLimit())
                .as("a placeholder without a limit")
                .isFalse();
        assertThat(response.getResponseHeadersToAddCount()).isZero();

        RateLimitResponse unknown = envoy.shouldRateLimit(RateLimitRequest.newBuilder()
                .setDomain("no_such_domain")
                .addDescriptors(descriptor("to_number", "1"))
                .addDescriptors(descriptor("remote_address", "50.0.0.5"))
                .build());
        assertThat(unknown.getOverallCode()).isEqualTo(Code.OK);
        assertThat(unknown.getStatusesList())
                .as("one OK status per descriptor, without a limit, as envoyproxy/ratelimit answers")
                .hasSize(2)
                .allSatisfy(status -> {
                    assertThat(status.getCode()).isEqualTo(Code.OK);
                    assertThat(status.hasCurrentLimit()).isFalse();
                });
        assertThat(events).as("nothing was decided").isEmpty();
    }

    @Test
    void hitsAddendIsTheCostAndZeroOnlyLooks() {
        start();
        RateLimitResponse three = envoy.shouldRateLimit(RateLimitRequest.newBuilder()
                .setDomain("messaging")
                .setHitsAddend(3)
                .addDescriptors(descriptor("message_type", "marketing", "to_number", "7"))
                .build());
        assertThat(three.getStatuses(0).getLimitRemaining()).isEqualTo(2);

        RateLimitResponse look = envoy.shouldRateLimit(RateLimitRequest.newBuilder()
                .setDomain("messaging")
                .setHitsAddend(3)
                .addDescriptors(descriptorWithHits(0, "message_type", "marketing", "to_number", "7"))
                .build());
        assertThat(look.getOverallCode()).isEqualTo(Code.OK);
        assertThat(look.getStatuses(0).getLimitRemaining())
                .as("the descriptor's own 0 wins over the request's 3")
                .isEqualTo(2);

        RateLimitResponse tooMany = envoy.shouldRateLimit(RateLimitRequest.newBuilder()
                .setDomain("messaging")
                .addDescriptors(descriptorWithHits(6, "message_type", "marketing", "to_number", "7"))
                .build());
        assertThat(tooMany.getOverallCode())
                .as("more hits than the limit holds")
                .isEqualTo(Code.OVER_LIMIT);
        assertThat(tooMany.getStatuses(0).getLimitRemaining())
                .as("nothing taken")
                .isEqualTo(2);

        RateLimitResponse huge = envoy.shouldRateLimit(RateLimitRequest.newBuilder()
                .setDomain("messaging")
                .addDescriptors(descriptorWithHits(-1L, "message_type", "marketing", "to_number", "7"))
                .build());
        assertThat(huge.getOverallCode()).as("2^64 - 1 hits").isEqualTo(Code.OVER_LIMIT);

        assertThat(envoy.shouldRateLimit(RateLimitRequest.newBuilder()
                                .setDomain("messaging")
                                .setHitsAddend(2)
                                .addDescriptors(descriptor("message_type", "marketing", "to_number", "7"))
                                .build())
                        .getStatuses(0)
                        .getLimitRemaining())
                .isZero();
    }

    @Test
    void tollgatesHeadersTellOfTheTightestDescriptorAndWhenToRetry() {
        start();
        RateLimitResponse ok = envoy.shouldRateLimit(RateLimitRequest.newBuilder()
                .setDomain("messaging")
                .addDescriptors(descriptor("to_number", "1"))
                .addDescriptors(descriptor("message_type", "marketing", "to_number", "1"))
                .build());
        long midnight = Instant.parse("2027-01-02T00:00:00Z").getEpochSecond();
        assertThat(headers(ok))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "X-RateLimit-Limit", "5", "X-RateLimit-Remaining", "4", "X-RateLimit-Reset", "" + midnight));

        envoy.ask("messaging", "remote_address", "10.0.0.1");
        RateLimitResponse over = envoy.shouldRateLimit(RateLimitRequest.newBuilder()
                .setDomain("messaging")
                .setHitsAddend(10)
                .addDescriptors(descriptor("remote_address", "10.0.0.1"))
                .build());
        assertThat(over.getOverallCode()).isEqualTo(Code.OVER_LIMIT);
        assertThat(headers(over))
                .containsEntry("X-RateLimit-Limit", "10")
                .containsEntry("X-RateLimit-Remaining", "9")
                .containsEntry("X-RateLimit-Reset", "" + (START.getEpochSecond() + 1))
                .containsEntry("Retry-After", "1");
    }

    @Test
    void ratelimitsHeadersSayTheSecondsUntilTheWindowEnds() {
        start(EnvoyOptions.defaults().withHeaders(EnvoyOptions.Headers.RATELIMIT));
        RateLimitResponse response = envoy.ask("messaging", "to_number", "1");
        assertThat(headers(response))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "RateLimit-Limit", "100",
                        "RateLimit-Remaining", "99",
                        "RateLimit-Reset",
                                "" + Duration.ofDays(1).minusSeconds(10).toSeconds()));
    }

    @Test
    void eachDecidedDescriptorIsOneEventAndOneDecisionInTheMetrics() {
        start();
        envoy.ask("messaging", "remote_address", "50.0.0.5");
        envoy.ask("messaging", "message_type", "marketing", "to_number", "2061111111");

        awaitEvents(2);
        RateLimitEvent blocked = events.get(0);
        assertThat(blocked.method()).isEqualTo("ENVOY");
        assertThat(blocked.ruleName()).isEqualTo("messaging.remote_address_50.0.0.5");
        assertThat(blocked.key()).isEqualTo("messaging.remote_address_50.0.0.5");
        assertThat(blocked.allowed()).isFalse();
        assertThat(blocked.shadow()).isFalse();
        assertThat(blocked.timestamp()).isEqualTo(START);
        RateLimitEvent allowed = events.get(1);
        assertThat(allowed.ruleName()).isEqualTo("messaging.message_type_marketing.to_number");
        assertThat(allowed.key()).isEqualTo("messaging.message_type_marketing.to_number_2061111111");
        assertThat(allowed.allowed()).isTrue();
        assertThat(allowed.count()).isEqualTo(1);
        assertThat(allowed.limit()).isEqualTo(5);
        assertThat(decisions("messaging.remote_address_50.0.0.5", "blocked")).isEqualTo(1);
        assertThat(decisions("messaging.message_type_marketing.to_number", "allowed"))
                .isEqualTo(1);
    }

    @Test
    void aLimitThatReplacesAnotherIsTheOnlyOneCounted() {
        start();
        RateLimitRequest both = RateLimitRequest.newBuilder()
                .setDomain("messaging")
                .addDescriptors(descriptor("tenant", "acme"))
                .addDescriptors(descriptor("vip", "acme"))
                .build();
        for (int i = 0; i < 5; i++) {
            assertThat(envoy.shouldRateLimit(both).getOverallCode()).isEqualTo(Code.OK);
        }
        RateLimitResponse response = envoy.shouldRateLimit(both);
        assertThat(response.getStatuses(0).hasCurrentLimit())
                .as("per_tenant is replaced")
                .isFalse();
        assertThat(response.getStatuses(1).getLimitRemaining()).isEqualTo(44);

        assertThat(envoy.ask("messaging", "tenant", "acme").getStatuses(0).getLimitRemaining())
                .as("alone, per_tenant counts, with the token bucket named in the file, untouched so far")
                .isEqualTo(1);
    }

    @Test
    void quotaDescriptorsRefuseOnlyWhenEveryOneIsOver() {
        start();
        RateLimitRequest fresh = RateLimitRequest.newBuilder()
                .setDomain("messaging")
                .addDescriptors(descriptor("quota_a", "x"))
                .addDescriptors(descriptor("quota_b", "x"))
                .build();
        assertThat(envoy.shouldRateLimit(fresh).getOverallCode()).isEqualTo(Code.OK);

        RateLimitResponse oneLeft = envoy.shouldRateLimit(RateLimitRequest.newBuilder()
                .setDomain("messaging")
                .addDescriptors(descriptor("quota_a", "x"))
                .addDescriptors(descriptor("quota_b", "y"))
                .build());
        assertThat(oneLeft.getOverallCode()).as("quota_b=y still has its quota").isEqualTo(Code.OK);
        assertThat(oneLeft.getStatuses(0).getCode()).isEqualTo(Code.OVER_LIMIT);
        awaitEvents(4);
        assertThat(events.get(2).allowed()).as("served").isTrue();
        assertThat(events.get(2).shadow()).as("though its quota was spent").isTrue();

        assertThat(envoy.shouldRateLimit(fresh).getOverallCode())
                .as("both spent")
                .isEqualTo(Code.OVER_LIMIT);
    }

    @Test
    void aLimitOverrideFromEnvoysRouteIsEnforced() {
        start();
        RateLimitDescriptor.RateLimitOverride twoAMinute = RateLimitDescriptor.RateLimitOverride.newBuilder()
                .setRequestsPerUnit(2)
                .setUnit(RateLimitUnit.MINUTE)
                .build();
        RateLimitRequest request = RateLimitRequest.newBuilder()
                .setDomain("messaging")
                .addDescriptors(descriptor("to_number", "1").setLimit(twoAMinute))
                .build();

        assertThat(envoy.shouldRateLimit(request).getStatuses(0).getLimitRemaining())
                .isEqualTo(1);
        envoy.shouldRateLimit(request);
        RateLimitResponse over = envoy.shouldRateLimit(request);
        assertThat(over.getOverallCode()).isEqualTo(Code.OVER_LIMIT);
        assertThat(over.getStatuses(0).getCurrentLimit().getUnit()).isEqualTo(RateLimitResponse.RateLimit.Unit.MINUTE);
        assertThat(over.getStatuses(0).getDurationUntilReset().getSeconds()).isEqualTo(50);
        assertThat(envoy.ask("messaging", "to_number", "1").getStatuses(0).getLimitRemaining())
                .as("the configuration's own limit is counted apart")
                .isEqualTo(99);

        RateLimitRequest noUnit = RateLimitRequest.newBuilder()
                .setDomain("messaging")
                .addDescriptors(descriptor("to_number", "1")
                        .setLimit(twoAMinute.toBuilder().setUnitValue(0)))
                .build();
        assertThatThrownBy(() -> envoy.shouldRateLimit(noUnit))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo("a limit override has the unknown unit 0");
                });
    }

    @Test
    void aRequestWithoutDomainOrDescriptorsIsInvalid() {
        start();
        assertThatThrownBy(() -> envoy.shouldRateLimit(RateLimitRequest.newBuilder()
                        .addDescriptors(descriptor("to_number", "1"))
                        .build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo("rate limit domain must not be empty");
                });
        assertThatThrownBy(() -> envoy.shouldRateLimit(
                        RateLimitRequest.newBuilder().setDomain("messaging").build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getDescription())
                                .isEqualTo("rate limit descriptor list must not be empty"));
    }

    @Test
    void requestsPastTheBoundsAreRefusedWithoutBeingDecided() {
        start(EnvoyOptions.defaults().withBounds(4096, 3, 2, 16, 32));
        RateLimitRequest.Builder many = RateLimitRequest.newBuilder().setDomain("messaging");
        for (int i = 0; i < 4; i++) {
            many.addDescriptors(descriptor("to_number", "" + i));
        }
        assertInvalid(many.build(), "not a valid RateLimitRequest: more than 3 descriptors in one request");
        assertInvalid(
                RateLimitRequest.newBuilder()
                        .setDomain("messaging")
                        .addDescriptors(descriptor("a", "1", "b", "2", "c", "3"))
                        .build(),
                "not a valid RateLimitRequest: more than 2 entries in one descriptor");
        assertInvalid(
                RateLimitRequest.newBuilder()
                        .setDomain("messaging")
                        .addDescriptors(descriptor("to_number", "0".repeat(33)))
                        .build(),
                "not a valid RateLimitRequest: a descriptor entry's value is 33 bytes, more than the 32 allowed");

        RateLimitRequest large = RateLimitRequest.newBuilder()
                .setDomain("messaging")
                .addDescriptors(descriptor("to_number", "1"))
                .setUnknownFields(com.google.protobuf.UnknownFieldSet.newBuilder()
                        .addField(
                                99,
                                com.google.protobuf.UnknownFieldSet.Field.newBuilder()
                                        .addLengthDelimited(com.google.protobuf.ByteString.copyFrom(new byte[5000]))
                                        .build())
                        .build())
                .build();
        assertThatThrownBy(() -> envoy.shouldRateLimit(large))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        assertThat(envoy.ask("messaging", "to_number", "1").getStatuses(0).getLimitRemaining())
                .as("nothing refused was counted, and the connection still serves")
                .isEqualTo(99);
    }

    private void assertInvalid(RateLimitRequest request, String description) {
        assertThatThrownBy(() -> envoy.shouldRateLimit(request))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo(description);
                });
    }

    private long decisions(String rule, String outcome) {
        Counter counter = tollgate.metrics()
                .registry()
                .find("tollgate.decisions")
                .tag("rule", rule)
                .tag("outcome", outcome)
                .counter();
        return counter == null ? 0 : (long) counter.count();
    }
}
