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
                .hasMessageStartingWith("limt: unknown setting of the rule; known: algorithm, burst, cost,");
        assertThatThrownBy(() ->
                        Rule.fromJson(new JsonObject("{\"name\":\"a\",\"limit\":5,\"window\":\"1m\",\"cost\":9}")))
                .hasMessageStartingWith("cost: cost 9 is more than the burst 5");
        assertThatThrownBy(() -> Rule.fromJson(new JsonObject("{\"limit\":5,\"window\":\"1m\"}")))
                .hasMessage("name: every rule needs a name");
    }

    @Test
    void aProblemCanBePlacedUnderItsRule() {
        SettingsException e = new SettingsException("limit", "must be positive");
        assertThat(e.under("rules[2]")).hasMessage("rules[2].limit: must be positive");
        assertThat(e.under("rules[2]").key()).isEqualTo("rules[2].limit");
    }
}
