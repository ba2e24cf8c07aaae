package dev.tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.ManualClock;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VerdictAssemblerTest {

    private static final Instant NOW = Instant.parse("2027-01-01T12:00:00.250Z");
    private static final RequestInfo REQUEST = RequestInfo.of("GET", "/api/orders", "203.0.113.5");

    private final TollgateMetrics metrics = new TollgateMetrics();
    private final VerdictAssembler failingOpen = new VerdictAssembler(metrics, true, ManualClock.at(NOW));
    private final VerdictAssembler failingClosed = new VerdictAssembler(metrics, false, ManualClock.at(NOW));

    @Test
    void anEnforcedRuleThatBlocksLimitsTheRequestAndNamesItselfInTheEventAndHeadline() {
        RuleResult allows = result("wide", false, allowed(7));
        RuleResult blocks = result("narrow", false, blocked(30));
        RuleResult blocksLonger = result("narrower", false, blocked(90));

        Verdict verdict = failingOpen.verdict(REQUEST, List.of(allows, blocks, blocksLonger));

        assertThat(verdict.outcome()).isEqualTo(Verdict.Outcome.LIMITED);
        assertThat(verdict.headline()).contains(blocks);
        assertThat(verdict.retryAfterSeconds()).isEqualTo(90);
        RateLimitEvent event = verdict.event().orElseThrow();
        assertThat(event.ruleName()).isEqualTo("narrow");
        assertThat(event.allowed()).isFalse();
        assertThat(event.shadow()).isFalse();
        assertThat(event.timestamp()).isEqualTo(NOW);
        assertThat(event.ipAddress()).contains("203.0.113.5");
        assertThat(metrics.decisions("narrow", "blocked")).isEqualTo(1);
        assertThat(metrics.decisions("wide", "allowed")).isEqualTo(1);
    }

    @Test
    void aShadowRuleThatWouldBlockLetsTheRequestThroughAndTheEventSaysShadowNotBlocked() {
        RuleResult shadow = result("trial", true, blocked(10));
        RuleResult loose = result("loose", false, allowed(50));
        RuleResult tight = result("tight", false, allowed(2));

        Verdict verdict = failingOpen.verdict(REQUEST, List.of(shadow, loose, tight));

        assertThat(verdict.outcome()).isEqualTo(Verdict.Outcome.ALLOWED);
        assertThat(verdict.headline())
                .as("the enforced rule with the least remaining")
                .contains(tight);
        RateLimitEvent event = verdict.event().orElseThrow();
        assertThat(event.ruleName()).isEqualTo("trial");
        assertThat(event.allowed()).isTrue();
        assertThat(event.shadow()).isTrue();
        assertThat(metrics.decisions("trial", "shadow_blocked")).isEqualTo(1);
    }

    @Test
    void aFailedLimiterRefusesWith503OnlyWhenFailOpenIsOff() {
        RuleResult failed = result("api", false, Optional.empty());
        RuleResult other = result("other", false, allowed(5));

        Verdict closed = failingClosed.verdict(REQUEST, List.of(other, failed));
        Verdict open = failingOpen.verdict(REQUEST, List.of(other, failed));

        assertThat(closed.outcome()).isEqualTo(Verdict.Outcome.UNAVAILABLE);
        assertThat(closed.event().orElseThrow().ruleName()).isEqualTo("api");
        assertThat(closed.event().orElseThrow().limit())
                .as("the rule's own limit")
                .isEqualTo(100);
        assertThat(open.outcome()).isEqualTo(Verdict.Outcome.ALLOWED);
        assertThat(open.event().orElseThrow().ruleName()).isEqualTo("other");
        assertThat(metrics.decisions("api", "failed")).isEqualTo(2);
    }

    @Test
    void aDeniedRequestIsRefusedUnderNoRule() {
        Verdict verdict = failingOpen.denied(REQUEST.withUserId("42"), "user:42");

        assertThat(verdict.outcome()).isEqualTo(Verdict.Outcome.DENIED);
        assertThat(verdict.results()).isEmpty();
        RateLimitEvent event = verdict.event().orElseThrow();
        assertThat(event.key()).isEqualTo("user:42");
        assertThat(event.ruleName()).isEmpty();
        assertThat(event.allowed()).isFalse();
        assertThat(event.userId()).contains("42");
        assertThat(metrics.decisions("", "denied")).isEqualTo(1);
    }

    @Test
    void aBusCheckUnderAShadowRuleIsAllowedAndMarkedShadowWhenTheRuleWouldRefuse() {
        RateLimitEvent event =
                failingOpen.eventFor(result("trial", true, blocked(10)), "", "BUS", Optional.empty(), Optional.empty());

        assertThat(event.allowed()).isTrue();
        assertThat(event.shadow()).isTrue();
        assertThat(event.method()).isEqualTo("BUS");
        assertThat(event.ipAddress()).isEmpty();
    }

    private static RuleResult result(String name, boolean shadow, Optional<Decision> decision) {
        Rule rule = Rule.fromJson(new JsonObject()
                .put("name", name)
                .put("limit", 100)
                .put("window", "1m")
                .put("shadow", shadow));
        return new RuleResult(rule, "ip:203.0.113.5", decision);
    }

    private static Optional<Decision> allowed(long remaining) {
        return Optional.of(new Decision(true, 100, remaining, 100 - remaining, 0, 0));
    }

    private static Optional<Decision> blocked(long retryAfterSeconds) {
        return Optional.of(new Decision(false, 100, 0, 100, 0, retryAfterSeconds * 1_000_000_000L));
    }
}
