package dev.tollgate.core;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.plugin.SettingsException;
import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The configuration's rules and the dashboard's, laid over each other in a Tollgate that decides by them. */
class RuleLayersTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        Await.close(vertx);
    }

    private static Rule rule(String json) {
        return Rule.fromJson(new JsonObject(json));
    }

    private static final Rule API = rule("""
            {"name": "api", "path": "/api/*", "algorithm": "fixed-window", "limit": 2, "window": "1h"}""");
    private static final Rule LOGIN = rule("""
            {"name": "login", "path": "/login", "algorithm": "fixed-window", "limit": 1, "window": "1h"}""");

    private boolean allowed(Tollgate tollgate, String path) {
        return await(tollgate.check(RequestInfo.of("GET", path, "203.0.113.5"))).outcome() != Verdict.Outcome.LIMITED;
    }

    @Test
    void aDashboardRuleTakesThePlaceOfTheConfigurationsRuleOfItsNameAndOthersAreAdded() {
        List<Rule> laid = RuleLayers.laid(List.of(API, LOGIN), List.of(rule("""
                        {"name": "extra", "path": "/x", "limit": 1, "window": "1s"}"""), rule("""
                        {"name": "api", "path": "/api/*", "algorithm": "fixed-window", "limit": 50, "window": "1h"}""")));
        assertThat(laid).extracting(Rule::name).containsExactly("api", "login", "extra");
        assertThat(laid.get(0).limit().limit()).isEqualTo(50);
    }

    @Test
    void eachLayerIsReplacedAloneAndUnchangedRulesKeepTheirCounts() {
        Tollgate tollgate =
                Tollgate.builder().vertx(vertx).rules(List.of(API, LOGIN)).build();
        assertThat(allowed(tollgate, "/login")).isTrue();
        assertThat(allowed(tollgate, "/login")).isFalse();
        assertThat(tollgate.ruleSource("api")).isEqualTo("configuration");

        Rule wider = rule("""
                {"name": "api", "path": "/api/*", "algorithm": "fixed-window", "limit": 3, "window": "1h"}""");
        tollgate.updateDashboardRules(List.of(wider));
        assertThat(tollgate.rules()).extracting(Rule::name).containsExactlyInAnyOrder("api", "login");
        assertThat(tollgate.ruleSource("api")).isEqualTo("dashboard");
        assertThat(tollgate.ruleSource("login")).isEqualTo("configuration");
        assertThat(allowed(tollgate, "/login")).as("login kept its count").isFalse();
        assertThat(List.of(allowed(tollgate, "/api/a"), allowed(tollgate, "/api/a"), allowed(tollgate, "/api/a")))
                .containsExactly(true, true, true);
        assertThat(allowed(tollgate, "/api/a")).isFalse();

        // a reloaded configuration leaves the dashboard's rule in force, and its count
        tollgate.updateRules(List.of(API, LOGIN));
        assertThat(tollgate.ruleSource("api")).isEqualTo("dashboard");
        assertThat(allowed(tollgate, "/api/a")).isFalse();

        tollgate.updateDashboardRules(List.of());
        assertThat(tollgate.ruleSource("api")).isEqualTo("configuration");
        assertThat(tollgate.rules()).extracting(r -> r.limit().limit()).containsExactlyInAnyOrder(2L, 1L);
    }

    @Test
    void aBadDashboardRuleLeavesTheRulesInForce() {
        Tollgate tollgate = Tollgate.builder().vertx(vertx).rules(List.of(API)).build();
        Rule unknownKey = rule("""
                {"name": "odd", "path": "/odd", "key": "nosuch:x", "limit": 1, "window": "1s"}""");
        assertThatThrownBy(() -> tollgate.updateDashboardRules(List.of(unknownKey)))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("rules[1].key");
        assertThat(tollgate.rules()).containsExactly(API);
        assertThat(tollgate.ruleSource("odd")).isEqualTo("configuration");
    }
}
