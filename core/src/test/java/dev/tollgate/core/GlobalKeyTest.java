package dev.tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.spi.KeyResolver;
import dev.tollgate.plugin.SettingsException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code key: global}: one key for every request, whoever sends it. It keeps the key kinds' convention (the name and
 * a colon start the key, an argument is refused) except the one it exists to break: different clients share the key.
 */
class GlobalKeyTest {

    private final KeyResolver global = new KeyResolvers.Global().create("");

    @Test
    void everyRequestHasTheOneKeyWithOrWithoutAnIdentity() {
        assertThat(global.resolve(RequestInfo.of("GET", "/a", "203.0.113.5"))).hasValue("global:all");
        assertThat(global.resolve(RequestInfo.of("POST", "/b", "198.51.100.7"))).hasValue("global:all");
        assertThat(global.resolve(RequestInfo.of("GET", "/", ""))).isEqualTo(Optional.of("global:all"));
    }

    @Test
    void takesNoArgument() {
        assertThatThrownBy(() -> new KeyResolvers.Global().create("upstream"))
                .isInstanceOfSatisfying(
                        SettingsException.class, e -> assertThat(e.key()).isEmpty())
                .hasMessageContaining("the key 'global' takes no argument");
    }

    @Test
    void isFoundByNameAsRulesSpellIt() {
        assertThat(KeyKinds.load().names()).contains("global");
    }
}
