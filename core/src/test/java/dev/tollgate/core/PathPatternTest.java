package dev.tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PathPatternTest {

    @Test
    void anExactPathMatchesOnlyItself() {
        PathPattern login = PathPattern.parse("/api/login");
        assertThat(login.matches("/api/login")).isTrue();
        assertThat(login.matches("/api/login/")).isFalse();
        assertThat(login.matches("/api/logins")).isFalse();
    }

    @Test
    void aPrefixMatchesItsRootAndEverythingBelowButNotItsSiblings() {
        PathPattern api = PathPattern.parse("/api/*");
        assertThat(api.matches("/api")).isTrue();
        assertThat(api.matches("/api/")).isTrue();
        assertThat(api.matches("/api/users/42")).isTrue();
        assertThat(api.matches("/apix")).isFalse();
        assertThat(api.matches("/")).isFalse();
    }

    @Test
    void aStarAloneMatchesEveryPath() {
        assertThat(PathPattern.parse("/*").matches("/anything/at/all")).isTrue();
        assertThat(PathPattern.parse("*").matches("/")).isTrue();
    }

    @Test
    void aRegexMustMatchTheWholePath() {
        PathPattern orders = PathPattern.parse("regex:/v[0-9]+/orders");
        assertThat(orders.matches("/v2/orders")).isTrue();
        assertThat(orders.matches("/v2/orders/7")).isFalse();
        assertThat(orders.matches("/x/v2/orders")).isFalse();
    }

    @Test
    void badPatternsAreRefusedWithAHint() {
        assertThatThrownBy(() -> PathPattern.parse("api")).hasMessageContaining("must start with '/'");
        assertThatThrownBy(() -> PathPattern.parse("/a/*/b")).hasMessageContaining("only allowed at the end");
        assertThatThrownBy(() -> PathPattern.parse("regex:(")).hasMessageContaining("invalid regular expression '('");
        assertThatThrownBy(() -> PathPattern.parse("regex:")).hasMessageContaining("needs an expression");
    }

    @Test
    void caseCountsUnlessTheRuleIgnoresIt() {
        assertThat(PathPattern.parse("/api/*").matches("/API/x")).isFalse();
        assertThat(PathPattern.parse("/api/*", true).matches("/API/x")).isTrue();
        assertThat(PathPattern.parse("/api/login", true).matches("/Api/LOGIN")).isTrue();
        assertThat(PathPattern.parse("regex:/v[0-9]+/orders", true).matches("/V2/Orders"))
                .isTrue();
        assertThat(PathPattern.parse("/api/*", true).matches("/apix")).isFalse();
    }
}
