package dev.tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.plugin.SettingsException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Adaptive rules read from configuration: their defaults, their round trip and every mistake named. */
class AdaptiveRuleTest {

    private static Rule read(String json) {
        return Rule.fromJson(new JsonObject(json));
    }

    private static void refused(String json, String message) {
        assertThatThrownBy(() -> read(json))
                .isInstanceOf(SettingsException.class)
                .hasMessage(message);
    }

    @Test
    void readsAnAimdRuleWithItsDefaults() {
        Rule rule = read("{\"name\":\"upstream\",\"kind\":\"adaptive\",\"algorithm\":\"aimd\","
                + "\"latencyThreshold\":\"250ms\"}");
        assertThat(rule.kind()).isEqualTo(Rule.Kind.ADAPTIVE);
        assertThat(rule.holdsSlots()).isTrue();
        assertThat(rule.key()).isEqualTo("global");
        assertThat(rule.status()).isEqualTo(503);
        assertThat(rule.limit().algorithm()).isEqualTo("adaptive");
        assertThat(rule.limit().limit()).as("the most the limit can reach").isEqualTo(1000);
        AdaptiveOptions options = rule.adaptive().orElseThrow();
        assertThat(options.algorithm()).isEqualTo(AdaptiveOptions.Algorithm.AIMD);
        assertThat(options.minLimit()).isEqualTo(1);
        assertThat(options.maxLimit()).isEqualTo(1000);
        assertThat(options.initialLimit()).isEqualTo(20);
        assertThat(options.smoothing()).isEqualTo(1.0);
        assertThat(options.backoff()).isEqualTo(0.9);
        assertThat(options.latencyThreshold()).isEqualTo(Duration.ofMillis(250));
        assertThat(Rule.fromJson(rule.toJson())).isEqualTo(rule);
        assertThat(rule.toJson().containsKey("limit")).isFalse();
        assertThat(rule.toJson().containsKey("tolerance")).isFalse();
    }

    @Test
    void readsAGradientRuleWithEveryField() {
        Rule rule = read("{\"name\":\"upstream\",\"kind\":\"adaptive\",\"algorithm\":\"gradient\",\"key\":\"ip\","
                + "\"minLimit\":5,\"maxLimit\":300,\"initialLimit\":50,\"smoothing\":0.5,\"tolerance\":2,"
                + "\"probeInterval\":\"1m\",\"queueSize\":8,\"status\":429}");
        AdaptiveOptions options = rule.adaptive().orElseThrow();
        assertThat(options.algorithm()).isEqualTo(AdaptiveOptions.Algorithm.GRADIENT);
        assertThat(options.minLimit()).isEqualTo(5);
        assertThat(options.maxLimit()).isEqualTo(300);
        assertThat(options.initialLimit()).isEqualTo(50);
        assertThat(options.smoothing()).isEqualTo(0.5);
        assertThat(options.tolerance()).isEqualTo(2.0);
        assertThat(options.probeInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(options.queueSize()).isEqualTo(8);
        assertThat(rule.key()).isEqualTo("ip");
        assertThat(rule.status()).isEqualTo(429);
        assertThat(Rule.fromJson(rule.toJson())).isEqualTo(rule);
        assertThat(rule.toJson().containsKey("latencyThreshold")).isFalse();
    }

    @Test
    void theInitialLimitDefaultsWithinTheBounds() {
        assertThat(read("{\"name\":\"a\",\"kind\":\"adaptive\",\"algorithm\":\"gradient\",\"maxLimit\":8}")
                        .adaptive()
                        .orElseThrow()
                        .initialLimit())
                .isEqualTo(8);
        assertThat(read("{\"name\":\"a\",\"kind\":\"adaptive\",\"algorithm\":\"gradient\",\"minLimit\":30}")
                        .adaptive()
                        .orElseThrow()
                        .initialLimit())
                .isEqualTo(30);
    }

    @Test
    void namesEveryMistake() {
        String base = "{\"name\":\"a\",\"kind\":\"adaptive\",";
        refused(
                base + "\"latencyThreshold\":\"1s\"}",
                "algorithm: an adaptive rule needs an algorithm: aimd or gradient");
        refused(
                base + "\"algorithm\":\"vegas\"}",
                "algorithm: unknown algorithm 'vegas' for an adaptive rule; known: aimd, gradient");
        refused(
                base + "\"algorithm\":\"aimd\"}",
                "latencyThreshold: aimd needs the latency above which the upstream counts as overloaded, as"
                        + " latencyThreshold: 200ms; pick about twice its usual latency");
        refused(
                base + "\"algorithm\":\"aimd\",\"latencyThreshold\":\"1s\",\"tolerance\":2}",
                "tolerance: tolerance is a setting of the gradient algorithm; remove it or write algorithm: gradient");
        refused(
                base + "\"algorithm\":\"gradient\",\"backoff\":0.5}",
                "backoff: backoff is a setting of the aimd algorithm; remove it or write algorithm: aimd");
        refused(
                base + "\"algorithm\":\"gradient\",\"limit\":10}",
                "limit: an adaptive rule's limit moves on its own between minLimit and maxLimit; write those (and"
                        + " initialLimit) instead of limit");
        refused(
                base + "\"algorithm\":\"gradient\",\"window\":\"1s\"}",
                "window: an adaptive rule counts requests in flight on this node, one slot each, and takes no window;"
                        + " remove it");
        refused(
                base + "\"algorithm\":\"gradient\",\"minLimit\":10,\"maxLimit\":5}",
                "maxLimit: maxLimit must be between minLimit (10) and 1000000, got 5");
        refused(
                base + "\"algorithm\":\"gradient\",\"maxLimit\":10,\"initialLimit\":11}",
                "initialLimit: initialLimit must be between minLimit (1) and maxLimit (10), got 11");
        refused(
                base + "\"algorithm\":\"gradient\",\"minLimit\":0}",
                "minLimit: expected a whole number between 1 and 1000000, got 0");
        refused(
                base + "\"algorithm\":\"gradient\",\"smoothing\":0}",
                "smoothing: smoothing must be more than 0 and at most 1, got 0.0");
        refused(
                base + "\"algorithm\":\"gradient\",\"smoothing\":1.5}",
                "smoothing: smoothing must be more than 0 and at most 1, got 1.5");
        refused(
                base + "\"algorithm\":\"aimd\",\"latencyThreshold\":\"1s\",\"backoff\":1}",
                "backoff: backoff must be more than 0 and less than 1, as 0.9, got 1.0");
        refused(
                base + "\"algorithm\":\"gradient\",\"tolerance\":0.5}",
                "tolerance: tolerance must be between 1 and 100, as 1.5, got 0.5");
        refused(
                base + "\"algorithm\":\"gradient\",\"probeInterval\":\"500ms\"}",
                "probeInterval: probeInterval must be between 1s and 1h, got 500ms");
        refused(
                base + "\"algorithm\":\"gradient\",\"status\":500}",
                "status: a refusal is answered with 503 (the default of an adaptive rule) or 429, got 500");
        refused(
                base + "\"algorithm\":\"gradient\",\"slotTimeout\":\"1m\"}",
                "slotTimeout: an adaptive rule counts requests in flight on this node, one slot each, and takes no"
                        + " slotTimeout; remove it");
        refused(
                "{\"name\":\"a\",\"limit\":5,\"window\":\"1s\",\"smoothing\":0.5}",
                "smoothing: smoothing applies to adaptive rules only (kind: adaptive)");
        refused(
                "{\"name\":\"a\",\"limit\":5,\"window\":\"1s\",\"algorithm\":\"aimd\"}",
                "algorithm: aimd moves a limit on requests in flight, for rules of kind adaptive: write kind:"
                        + " adaptive");
    }

    @Test
    void aProblemInARuleOfAFileNamesTheRule() {
        assertThatThrownBy(() -> Rule.from(dev.tollgate.plugin.Settings.of(
                        "rules[2]",
                        new JsonObject("{\"name\":\"a\",\"kind\":\"adaptive\",\"algorithm\":\"gradient\","
                                + "\"smoothing\":2}"))))
                .hasMessage("rules[2].smoothing: smoothing must be more than 0 and at most 1, got 2.0");
    }
}
