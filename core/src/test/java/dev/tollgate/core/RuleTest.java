package dev.tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.plugin.SettingsException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RuleTest {

    @Test
    void readsEveryFieldWithDefaults() {
        Rule rule = Rule.fromJson(new JsonObject("{\"name\":\"login\",\"path\":\"/api/login\",\"methods\":[\"post\"],"
                + "\"algorithm\":\"sliding-window-log\",\"limit\":10,\"window\":\"1m\"}"));
        assertThat(rule.name()).isEqualTo("login");
        assertThat(rule.methods()).containsExactly("POST");
        assertThat(rule.key()).isEqualTo("ip");
        assertThat(rule.limit().window()).isEqualTo(Duration.ofMinutes(1));
        assertThat(rule.limit().burst()).isEqualTo(10);
        assertThat(rule.limit().cost()).isEqualTo(1);
        assertThat(rule.enabled()).isTrue();
        assertThat(rule.shadow()).isFalse();
        assertThat(rule.covers("POST", "/api/login")).isTrue();
        assertThat(rule.covers("GET", "/api/login")).isFalse();
        assertThat(Rule.fromJson(rule.toJson())).isEqualTo(rule);
    }

    @Test
    void namesTheFieldAtFault() {
        assertThatThrownBy(() -> Rule.fromJson(new JsonObject("{\"name\":\"a\",\"limit\":0,\"window\":\"1m\"}")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("limit: limit must be between 1 and 1000000000, got 0");
        assertThatThrownBy(() -> Rule.fromJson(new JsonObject("{\"name\":\"a\",\"limit\":5,\"window\":\"-5s\"}")))
                .hasMessage("window: invalid duration '-5s': a duration must be positive");
        assertThatThrownBy(() -> Rule.fromJson(new JsonObject("{\"name\":\"a\",\"limit\":5}")))
                .hasMessage("window: missing; every rule needs a window such as 1m");
        assertThatThrownBy(() -> Rule.fromJson(new JsonObject("{\"name\":\"a\",\"limit\":\"ten\",\"window\":\"1m\"}")))
                .hasMessage("limit: expected a whole number, got 'ten'");
        assertThatThrownBy(() ->
                        Rule.fromJson(new JsonObject("{\"name\":\"a\",\"limit\":5,\"window\":\"1m\",\"limt\":3}")))
                .hasMessageStartingWith("limt: unknown setting of the rule; known: algorithm, backoff, burst, cost,");
        assertThatThrownBy(() ->
                        Rule.fromJson(new JsonObject("{\"name\":\"a\",\"limit\":5,\"window\":\"1m\",\"cost\":9}")))
                .hasMessageStartingWith("cost: cost 9 is more than the burst 5");
        assertThatThrownBy(() -> Rule.fromJson(new JsonObject("{\"limit\":5,\"window\":\"1m\"}")))
                .hasMessage("name: every rule needs a name");
    }

    @Test
    void readsAConcurrencyRuleWithItsDefaults() {
        Rule rule = Rule.fromJson(
                new JsonObject("{\"name\":\"reports\",\"path\":\"/reports/*\",\"kind\":\"concurrency\",\"limit\":4}"));
        assertThat(rule.kind()).isEqualTo(Rule.Kind.CONCURRENCY);
        assertThat(rule.holdsSlots()).isTrue();
        assertThat(rule.limit().algorithm()).isEqualTo("concurrency");
        assertThat(rule.limit().limit()).isEqualTo(4);
        assertThat(rule.limit().cost()).isEqualTo(1);
        assertThat(rule.limit().window()).as("the slot timeout").isEqualTo(Duration.ofSeconds(60));
        assertThat(rule.status()).isEqualTo(429);
        assertThat(Rule.fromJson(rule.toJson())).isEqualTo(rule);
        assertThat(rule.toJson().fieldNames())
                .contains("kind", "slotTimeout", "status")
                .doesNotContain("algorithm", "window", "burst");
    }

    @Test
    void readsAGlobalConcurrencyRuleThatAnswers503WithItsSlotTimeoutAndCost() {
        Rule rule = Rule.fromJson(new JsonObject("{\"name\":\"upstream\",\"kind\":\"concurrency\",\"key\":\"global\","
                + "\"limit\":100,\"cost\":2,\"slotTimeout\":\"5m\",\"status\":503}"));
        assertThat(rule.key()).isEqualTo("global");
        assertThat(rule.limit().cost()).isEqualTo(2);
        assertThat(rule.limit().window()).isEqualTo(Duration.ofMinutes(5));
        assertThat(rule.status()).isEqualTo(503);
        assertThat(Rule.fromJson(rule.toJson())).isEqualTo(rule);
    }

    @Test
    void aRateRuleIsWrittenAsBeforeThereWereKinds() {
        Rule rule = Rule.fromJson(new JsonObject("{\"name\":\"a\",\"limit\":5,\"window\":\"1m\",\"kind\":\"rate\"}"));
        assertThat(rule.kind()).isEqualTo(Rule.Kind.RATE);
        assertThat(rule.holdsSlots()).isFalse();
        assertThat(rule.status()).isEqualTo(429);
        assertThat(rule.toJson().fieldNames()).doesNotContain("kind", "slotTimeout", "status");
    }

    @Test
    void aConcurrencyRuleSaysWhichRateFieldsItDoesNotTake() {
        for (String field : new String[] {"\"window\":\"1m\"", "\"burst\":5", "\"algorithm\":\"token-bucket\""}) {
            String name = field.substring(1, field.indexOf('"', 1));
            assertThatThrownBy(() -> Rule.fromJson(
                            new JsonObject("{\"name\":\"c\",\"kind\":\"concurrency\",\"limit\":5," + field + "}")))
                    .isInstanceOfSatisfying(
                            SettingsException.class, e -> assertThat(e.key()).isEqualTo(name))
                    .hasMessageContaining(
                            "a concurrency rule counts requests in flight, not over time, and takes no " + name);
        }
    }

    @Test
    void namesTheFieldAtFaultInAConcurrencyRule() {
        assertThatThrownBy(() -> Rule.fromJson(new JsonObject("{\"name\":\"c\",\"kind\":\"concurency\",\"limit\":5}")))
                .hasMessage("kind: unknown kind 'concurency'; known: rate, concurrency, adaptive, quota");
        assertThatThrownBy(() -> Rule.fromJson(new JsonObject("{\"name\":\"c\",\"kind\":\"concurrency\"}")))
                .hasMessage("limit: missing; every rule needs a limit");
        assertThatThrownBy(() -> Rule.fromJson(
                        new JsonObject("{\"name\":\"c\",\"kind\":\"concurrency\",\"limit\":5,\"status\":500}")))
                .hasMessage("status: a refusal is answered with 429 or 503, got 500");
        assertThatThrownBy(() -> Rule.fromJson(
                        new JsonObject("{\"name\":\"c\",\"kind\":\"concurrency\",\"limit\":5,\"cost\":6}")))
                .hasMessageStartingWith("cost: cost 6 is more than the limit 5");
        assertThatThrownBy(() -> Rule.fromJson(new JsonObject(
                        "{\"name\":\"c\",\"kind\":\"concurrency\",\"limit\":5,\"slotTimeout\":\"400d\"}")))
                .hasMessageStartingWith("slotTimeout: slotTimeout must be between");
        assertThatThrownBy(() ->
                        Rule.fromJson(new JsonObject("{\"name\":\"r\",\"limit\":5,\"window\":\"1m\",\"status\":503}")))
                .hasMessage("status: status applies to concurrency rules only (kind: concurrency)");
        assertThatThrownBy(() -> Rule.fromJson(
                        new JsonObject("{\"name\":\"r\",\"limit\":5,\"window\":\"1m\",\"algorithm\":\"concurrency\"}")))
                .hasMessage("algorithm: limits on requests in flight are a kind of rule: write kind: concurrency");
    }

    @Test
    void aProblemCanBePlacedUnderItsRule() {
        SettingsException e = new SettingsException("limit", "must be positive");
        assertThat(e.under("rules[2]")).hasMessage("rules[2].limit: must be positive");
        assertThat(e.under("rules[2]").key()).isEqualTo("rules[2].limit");
    }

    @Test
    void readsADelayingRuleWithItsDefaultsAndWritesItBack() {
        Rule rule = Rule.fromJson(new JsonObject("{\"name\":\"api\",\"algorithm\":\"gcra\",\"limit\":10,"
                + "\"window\":\"1s\",\"onExceed\":\"delay\",\"maxDelay\":\"500ms\"}"));
        assertThat(rule.onExceed().delays()).isTrue();
        assertThat(rule.onExceed().maxDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(rule.onExceed().maxQueued()).isEqualTo(OnExceed.DEFAULT_MAX_QUEUED);
        assertThat(Rule.fromJson(rule.toJson())).isEqualTo(rule);
        assertThat(rule.toJson().getString("onExceed")).isEqualTo("delay");

        Rule refusing = Rule.fromJson(new JsonObject("{\"name\":\"api\",\"limit\":10,\"window\":\"1s\"}"));
        assertThat(refusing.onExceed()).isEqualTo(OnExceed.REFUSE);
        assertThat(refusing.toJson().containsKey("onExceed"))
                .as("a refusing rule is written as before")
                .isFalse();
    }

    @Test
    void aDelayingRuleNamesTheFieldAtFault() {
        String rule = "{\"name\":\"a\",\"algorithm\":\"token-bucket\",\"limit\":5,\"window\":\"1s\"";
        assertThatThrownBy(() -> Rule.fromJson(new JsonObject(rule + ",\"onExceed\":\"delay\"}")))
                .hasMessageStartingWith("maxDelay: missing; onExceed: delay needs the longest a request may wait");
        assertThatThrownBy(() -> Rule.fromJson(new JsonObject(rule + ",\"onExceed\":\"delay\",\"maxDelay\":\"61s\"}")))
                .hasMessageStartingWith("maxDelay: at most 1m, got 1m1s");
        assertThatThrownBy(() -> Rule.fromJson(
                        new JsonObject(rule + ",\"onExceed\":\"delay\",\"maxDelay\":\"1s\",\"maxQueued\":0}")))
                .hasMessage("maxQueued: expected a whole number between 1 and 100000, got 0");
        assertThatThrownBy(() -> Rule.fromJson(new JsonObject(rule + ",\"maxDelay\":\"1s\"}")))
                .hasMessageStartingWith("maxDelay: maxDelay applies to a rule that delays requests over its rate");
        assertThatThrownBy(() -> Rule.fromJson(new JsonObject(rule + ",\"onExceed\":\"wait\"}")))
                .hasMessageStartingWith("onExceed: unknown 'wait'; refuse");
        assertThatThrownBy(() -> Rule.fromJson(
                        new JsonObject("{\"name\":\"c\",\"kind\":\"concurrency\",\"limit\":2,\"onExceed\":\"delay\"}")))
                .hasMessageStartingWith("onExceed: a concurrency rule counts requests in flight");
    }
}
