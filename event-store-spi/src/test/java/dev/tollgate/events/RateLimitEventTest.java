package dev.tollgate.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RateLimitEventTest {

    private static final Instant AT = Instant.parse("2026-01-02T03:04:05.678Z");

    private static RateLimitEvent.Builder minimal() {
        return RateLimitEvent.builder()
                .timestamp(AT)
                .key("ip:203.0.113.5")
                .path("/")
                .method("GET");
    }

    @Test
    void truncatesOverlongTextToItsBoundInsteadOfRejectingIt() {
        RateLimitEvent event = minimal()
                .key("k".repeat(256))
                .ruleName("r".repeat(101))
                .path("p".repeat(501))
                .method("M".repeat(11))
                .build();

        assertThat(event.key()).isEqualTo("k".repeat(255));
        assertThat(event.ruleName()).isEqualTo("r".repeat(100));
        assertThat(event.path()).isEqualTo("p".repeat(500));
        assertThat(event.method()).isEqualTo("M".repeat(10));
    }

    @Test
    void keepsTextThatIsExactlyAtItsBound() {
        RateLimitEvent event =
                minimal().key("k".repeat(255)).method("MKCALENDAR").build();

        assertThat(event.key()).hasSize(255);
        assertThat(event.method()).isEqualTo("MKCALENDAR");
    }

    @Test
    void neverCutsASurrogatePairInHalf() {
        String key = "k".repeat(254) + "\uD83D\uDE00" + "tail";

        RateLimitEvent event = minimal().key(key).build();

        assertThat(event.key()).isEqualTo("k".repeat(254));
        assertThat(RateLimitEvent.truncateKey(key)).isEqualTo(event.key());
    }

    @Test
    void keepsTimeToTheMillisecond() {
        RateLimitEvent event = minimal().timestamp(AT.plusNanos(999_999)).build();

        assertThat(event.timestamp()).isEqualTo(AT);
    }

    @Test
    void defaultsToNoRuleNoAddressNoUserAndNotShadow() {
        RateLimitEvent event = minimal().build();

        assertThat(event.ruleName()).isEmpty();
        assertThat(event.ipAddress()).isEmpty();
        assertThat(event.userId()).isEmpty();
        assertThat(event.shadow()).isFalse();
    }

    @Test
    void aServedRequestIsNeverBlockedAndIsShadowBlockedWhenAShadowRuleWouldHaveRefusedIt() {
        RateLimitEvent served = minimal().allowed(true).build();
        RateLimitEvent shadowBlocked = minimal().allowed(true).shadow(true).build();
        RateLimitEvent refused = minimal().allowed(false).build();

        assertThat(served.blocked()).isFalse();
        assertThat(served.shadowBlocked()).isFalse();
        assertThat(shadowBlocked.blocked()).isFalse();
        assertThat(shadowBlocked.shadowBlocked()).isTrue();
        assertThat(refused.blocked()).isTrue();
        assertThat(refused.shadowBlocked()).isFalse();
        assertThat(refused.toBuilder().shadow(true).build().shadowBlocked())
                .as("a refusal is blocked only")
                .isFalse();
    }

    @Test
    void writesSnakeCaseJsonWithMillisecondTimestampsAndNullForAbsentValues() {
        RateLimitEvent event =
                minimal().allowed(false).ruleName("login").count(11).limit(10).build();

        assertThat(event.toJson().encode())
                .isEqualTo(
                        "{\"timestamp\":\"2026-01-02T03:04:05.678Z\","
                                + "\"key\":\"ip:203.0.113.5\",\"rule_name\":\"login\",\"path\":\"/\",\"method\":\"GET\","
                                + "\"allowed\":false,\"count\":11,\"limit\":10,\"ip_address\":null,\"user_id\":null,"
                                + "\"shadow\":false,\"user_agent\":null,\"upstream_status\":null,\"upstream_latency_ms\":null}");
    }

    @Test
    void readsBackWhatItWrites() {
        RateLimitEvent event = minimal()
                .allowed(true)
                .ruleName("api")
                .count(3)
                .limit(100)
                .ipAddress("2001:db8::7")
                .userId("42")
                .shadow(true)
                .build();

        assertThat(RateLimitEvent.fromJson(event.toJson())).isEqualTo(event);
        assertThat(RateLimitEvent.fromJson(new JsonObject(event.toJson().encode())))
                .isEqualTo(event);
        assertThat(event.toBuilder().build()).isEqualTo(event);
    }

    @Test
    void readsJsonWithoutTheOptionalFields() {
        JsonObject json = new JsonObject()
                .put("timestamp", "2026-01-02T03:04:05Z")
                .put("key", "k")
                .put("path", "/x")
                .put("method", "POST")
                .put("allowed", true)
                .put("count", 1)
                .put("limit", 5);

        RateLimitEvent event = RateLimitEvent.fromJson(json);

        assertThat(event.timestamp()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(event.ruleName()).isEmpty();
        assertThat(event.ipAddress()).isEqualTo(Optional.empty());
        assertThat(event.shadow()).isFalse();
    }

    @Test
    void namesTheMissingOrMistypedFieldOfBadJson() {
        JsonObject json = minimal().build().toJson();

        assertThatThrownBy(() -> RateLimitEvent.fromJson(json.copy().put("key", null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'key'");
        assertThatThrownBy(() -> RateLimitEvent.fromJson(json.copy().put("allowed", "yes")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wrong type");
        assertThatThrownBy(() -> RateLimitEvent.fromJson(json.copy().put("timestamp", "yesterday")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("yesterday");
    }

    @Test
    void aBuilderMissingARequiredFieldNamesIt() {
        assertThatThrownBy(() -> RateLimitEvent.builder()
                        .timestamp(AT)
                        .key("k")
                        .method("GET")
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("path");
    }

    @Test
    void carriesNoUserAgentAndNoUpstreamFactsUnlessTold() {
        RateLimitEvent event = minimal().build();

        assertThat(event.userAgent()).isEmpty();
        assertThat(event.upstreamStatus()).isEmpty();
        assertThat(event.upstreamLatency()).isEmpty();
        assertThat(event.upstreamLatencyMicros()).isEqualTo(-1);
        assertThat(event.toJson().getValue("user_agent")).isNull();
        assertThat(event.toJson().containsKey("upstream_status")).isTrue();
    }

    @Test
    void cutsTheUserAgentToItsBoundWithoutSplittingASurrogatePair() {
        String agent = "a".repeat(254) + "\uD83D\uDE00" + "tail";

        assertThat(minimal().userAgent(agent).build().userAgent()).contains("a".repeat(254));
        assertThat(minimal().userAgent("b".repeat(300)).build().userAgent()).contains("b".repeat(255));
    }

    @Test
    void dropsAnUpstreamStatusOutsideTheHttpRangeAndAHostileLatency() {
        assertThat(minimal().upstreamStatus(99).build().upstreamStatus()).isEmpty();
        assertThat(minimal().upstreamStatus(600).build().upstreamStatus()).isEmpty();
        assertThat(minimal().upstreamStatus(-1).build().upstreamStatus()).isEmpty();
        assertThat(minimal().upstreamStatus(100).build().upstreamStatus()).isEqualTo(OptionalInt.of(100));
        assertThat(minimal().upstreamStatus(599).build().upstreamStatus()).isEqualTo(OptionalInt.of(599));
        RateLimitEvent negative = minimal()
                .upstreamStatus(200)
                .upstreamLatency(Duration.ofMillis(-1))
                .build();
        assertThat(negative.upstreamLatency()).isEmpty();
        RateLimitEvent huge = minimal()
                .upstreamStatus(200)
                .upstreamLatency(Duration.ofDays(400))
                .build();
        assertThat(huge.upstreamLatency()).contains(RateLimitEvent.MAX_UPSTREAM_LATENCY);
        RateLimitEvent withoutStatus =
                minimal().upstreamLatency(Duration.ofMillis(5)).build();
        assertThat(withoutStatus.upstreamLatency()).isEmpty();
    }

    @Test
    void keepsTheUpstreamLatencyToTheMicrosecond() {
        RateLimitEvent event = minimal()
                .upstreamStatus(503)
                .upstreamLatency(Duration.ofNanos(12_345_678))
                .build();

        assertThat(event.upstreamLatency()).contains(Duration.ofNanos(12_345_000));
        assertThat(event.upstreamLatencyMicros()).isEqualTo(12_345);
        assertThat(event.toJson().getDouble("upstream_latency_ms")).isEqualTo(12.345);
    }

    @Test
    void readsBackTheUserAgentAndUpstreamFactsItWroteAndToleratesTheirAbsence() {
        RateLimitEvent event = minimal()
                .allowed(true)
                .userAgent("curl/8.5.0")
                .upstreamStatus(503)
                .upstreamLatency(Duration.ofNanos(1_234_567_000L))
                .build();

        assertThat(RateLimitEvent.fromJson(new JsonObject(event.toJson().encode())))
                .isEqualTo(event);
        JsonObject older = event.toJson();
        older.remove("user_agent");
        older.remove("upstream_status");
        older.remove("upstream_latency_ms");
        RateLimitEvent read = RateLimitEvent.fromJson(older);
        assertThat(read.userAgent()).isEmpty();
        assertThat(read.upstreamStatus()).isEmpty();
        assertThat(read.upstreamLatency()).isEmpty();
    }

    @Test
    void toBuilderKeepsTheNewFields() {
        RateLimitEvent event = minimal()
                .userAgent("Mozilla/5.0")
                .upstreamStatus(204)
                .upstreamLatency(Duration.ofMillis(3))
                .build();

        assertThat(event.toBuilder().build()).isEqualTo(event);
    }

    @Test
    void withUpstreamIsTheBuildersCopyAndChecksTheFactsAlike() {
        RateLimitEvent decided = minimal()
                .allowed(true)
                .ipAddress("203.0.113.9")
                .userId("ana")
                .shadow(true)
                .userAgent("curl/8.5.0")
                .build();

        assertThat(decided.withUpstream(502, Duration.ofNanos(7_654_321)))
                .isEqualTo(decided.toBuilder()
                        .upstreamStatus(502)
                        .upstreamLatency(Duration.ofNanos(7_654_321))
                        .build());
        assertThat(decided.withUpstream(502, Duration.ofNanos(7_654_321)).upstreamLatencyMicros())
                .isEqualTo(7_654);
        assertThat(decided.withUpstream(600, Duration.ofMillis(1)).upstreamStatus())
                .isEmpty();
        assertThat(decided.withUpstream(600, Duration.ofMillis(1)).upstreamLatency())
                .isEmpty();
        assertThat(decided.withUpstream(200, Duration.ofDays(400)).upstreamLatency())
                .contains(RateLimitEvent.MAX_UPSTREAM_LATENCY);
    }
}
