package dev.tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterException;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RuleSetTest {

    private static final KeyKinds KEY_KINDS = keyKinds();

    /** Every limiter handed out, in order. */
    private final List<ClosingLimiter> created = new ArrayList<>();

    @Test
    void aRuleWithTheSameLimitAndKeyKeepsItsLimiterAndOnlyReplacedLimitersAreClosed() {
        RuleSet first = RuleSet.EMPTY.compile(
                List.of(
                        rule("{\"name\":\"api\",\"limit\":10,\"window\":\"1m\"}"),
                        rule("{\"name\":\"login\",\"limit\":5,\"window\":\"1m\"}")),
                KEY_KINDS,
                this::newLimiter);

        RuleSet second = first.compile(
                List.of(
                        rule("{\"name\":\"api\",\"limit\":10,\"window\":\"1m\",\"path\":\"/api/*\"}"),
                        rule("{\"name\":\"login\",\"limit\":6,\"window\":\"1m\"}")),
                KEY_KINDS,
                this::newLimiter);
        first.closeReplaced(second);

        assertThat(second.named("api").orElseThrow().limiter()).isSameAs(created.get(0));
        assertThat(second.named("api").orElseThrow().rule().path().toString()).isEqualTo("/api/*");
        assertThat(second.named("login").orElseThrow().limiter()).isSameAs(created.get(2));
        assertThat(created).extracting(l -> l.closed).containsExactly(false, true, false);
    }

    @Test
    void aChangedKeyGetsANewLimiter() {
        RuleSet first = RuleSet.EMPTY.compile(
                List.of(rule("{\"name\":\"api\",\"limit\":10,\"window\":\"1m\"}")), KEY_KINDS, this::newLimiter);

        RuleSet second = first.compile(
                List.of(rule("{\"name\":\"api\",\"limit\":10,\"window\":\"1m\",\"key\":\"user\"}")),
                KEY_KINDS,
                this::newLimiter);

        assertThat(second.named("api").orElseThrow().limiter()).isSameAs(created.get(1));
    }

    @Test
    void holdsTheRulesHighestPriorityFirstAndMatchesInThatOrder() {
        RuleSet set = RuleSet.EMPTY.compile(
                List.of(
                        rule("{\"name\":\"low\",\"limit\":10,\"window\":\"1m\",\"priority\":1}"),
                        rule("{\"name\":\"high\",\"limit\":10,\"window\":\"1m\",\"priority\":5}"),
                        rule("{\"name\":\"other\",\"limit\":10,\"window\":\"1m\",\"path\":\"/other/*\"}")),
                KEY_KINDS,
                this::newLimiter);

        assertThat(set.names()).containsExactly("high", "low", "other");
        assertThat(set.matching("GET", "/api/x"))
                .extracting(c -> c.rule().name())
                .containsExactly("high", "low");
    }

    @Test
    void aSecondRuleOfOneNameIsRefusedAndTheLimitersCreatedForItsSetAreClosed() {
        RuleSet first = RuleSet.EMPTY.compile(
                List.of(rule("{\"name\":\"kept\",\"limit\":10,\"window\":\"1m\"}")), KEY_KINDS, this::newLimiter);

        assertThatThrownBy(() -> first.compile(
                        List.of(
                                rule("{\"name\":\"kept\",\"limit\":10,\"window\":\"1m\"}"),
                                rule("{\"name\":\"api\",\"limit\":10,\"window\":\"1m\"}"),
                                rule("{\"name\":\"api\",\"limit\":20,\"window\":\"1m\"}")),
                        KEY_KINDS,
                        this::newLimiter))
                .isInstanceOf(SettingsException.class)
                .extracting(e -> ((SettingsException) e).key())
                .isEqualTo("rules[2].name");
        assertThat(created).extracting(l -> l.closed).containsExactly(false, true);
    }

    @Test
    void namesTheFieldAtFault() {
        assertThat(keyAtFault(
                        rule("{\"name\":\"a\",\"limit\":1,\"window\":\"1m\",\"key\":\"cookie:x\"}"), this::newLimiter))
                .isEqualTo("rules[0].key");
        assertThat(keyAtFault(rule("{\"name\":\"a\",\"limit\":1,\"window\":\"1m\"}"), rule -> {
                    throw new LimiterException("no such algorithm");
                }))
                .isEqualTo("rules[0].algorithm");
        assertThat(keyAtFault(rule("{\"name\":\"a\",\"limit\":1,\"window\":\"1m\"}"), rule -> {
                    throw new IllegalArgumentException("too many permits");
                }))
                .isEqualTo("rules[0].limit");
        assertThat(keyAtFault(rule("{\"name\":\"a\",\"limit\":1,\"window\":\"1m\"}"), rule -> {
                    throw new SettingsException("burst", "cannot refill a burst of 1 exactly");
                }))
                .isEqualTo("rules[0].burst");
        assertThat(keyAtFault(rule("{\"name\":\"a\",\"limit\":1,\"window\":\"1m\"}"), rule -> {
                    throw new SettingsException("algorithm", "unknown algorithm 'magic'");
                }))
                .isEqualTo("rules[0].algorithm");
        assertThat(keyAtFault(rule("{\"name\":\"a\",\"limit\":1,\"window\":\"1m\"}"), rule -> {
                    throw new SettingsException("limiter.redis.url", "expected redis://host:port");
                }))
                .as("a backend setting, named in full")
                .isEqualTo("limiter.redis.url");
    }

    private RateLimiter newLimiter(Rule rule) {
        ClosingLimiter limiter = new ClosingLimiter(rule.limit());
        created.add(limiter);
        return limiter;
    }

    private static String keyAtFault(Rule rule, Function<Rule, RateLimiter> newLimiter) {
        try {
            RuleSet.EMPTY.compile(List.of(rule), KEY_KINDS, newLimiter);
        } catch (SettingsException e) {
            return e.key();
        }
        throw new AssertionError("compiled");
    }

    private static Rule rule(String json) {
        return Rule.fromJson(new JsonObject(json));
    }

    private static KeyKinds keyKinds() {
        return new KeyKinds(KeyKinds.load());
    }

    /** A limiter that allows everything and remembers whether it was closed. */
    private static final class ClosingLimiter implements RateLimiter {
        private final LimitSpec spec;
        private boolean closed;

        ClosingLimiter(LimitSpec spec) {
            this.spec = spec;
        }

        @Override
        public LimitSpec spec() {
            return spec;
        }

        @Override
        public Future<Decision> acquire(String key, long permits) {
            return Future.succeededFuture(new Decision(true, spec.limit(), spec.limit() - permits, permits, 0, 0));
        }

        @Override
        public Future<Decision> peek(String key) {
            return acquire(key, 0);
        }

        @Override
        public Future<Void> reset(String key) {
            return Future.succeededFuture();
        }

        @Override
        public Future<Void> close() {
            closed = true;
            return Future.succeededFuture();
        }
    }
}
